module github.com/vrun-dev/vrun

go 1.26.0

require (
	github.com/apache/cloudstack-go/v2 v2.19.0
	github.com/kevinburke/ssh_config v1.6.0
	go.starlark.net v0.0.0-20260908191801-89a6a09411d5
)

require (
	github.com/golang/protobuf v1.5.0 // indirect
	github.com/google/safeopen v0.0.0-20260327150837-43626d6f4685 // indirect
	github.com/kr/fs v0.1.0 // indirect
	go.uber.org/mock v0.5.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)

require (
	github.com/bazelbuild/buildtools v0.0.0-20260904073137-eaa4d125b423
	github.com/pkg/sftp v1.13.12
	libvirt.org/go/libvirtxml v1.12008.0
)

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/google/go-jsonnet v0.22.0
	github.com/itchyny/gojq v0.12.20
	github.com/itchyny/timefmt-go v0.1.9 // indirect
	github.com/mattn/go-runewidth v0.0.31 // indirect
	github.com/peterh/liner v1.2.3
	github.com/rogpeppe/go-internal v1.16.0
	github.com/spf13/pflag v1.0.10
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/crypto v0.59.0
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0
	golang.org/x/tools v0.26.0 // indirect
	gopkg.in/ini.v1 v1.67.3
	sigs.k8s.io/yaml v1.4.0 // indirect
)
