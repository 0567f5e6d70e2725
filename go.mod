module github.com/vrun-dev/vrun

go 1.26.0

require go.starlark.net v0.0.0-20260908191801-89a6a09411d5

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
