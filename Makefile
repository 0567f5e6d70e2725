# vrun — run Starlark recipes for virtualization operators.
GO  ?= go
BIN := bin/vrun
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo devel)

.PHONY: all build test demo bench deps vet fmt clean

all: build

# Static and stripped: no dynamic loader at start-up, a measurable part of
# vrun's start on our VMs, where each page fault costs ~30 µs.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/vrun

# deps installs the Debian packages the real-tool tests use (when root and
# missing); Go modules come from the module proxy on the first build.
deps:
	@bash .ci/deps.sh test

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

test: deps vet
	$(GO) test ./...

# demo: the main job, on the embedded simulator.
demo: build
	./$(BIN) --sim recipes/coreos-template.star

bench: build
	@bash .ci/deps.sh bench
	$(GO) test -run '^$$' -bench . -benchtime 50x ./... | tee bench/out-go.txt
	bash bench/compare.sh | tee bench/out-compare.txt
	bash bench/fanout.sh | tee bench/out-fanout.txt

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin bench/out-*.txt
