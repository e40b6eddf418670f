# Settle: build, run, test and benchmark. `make help` lists the targets.

GO      ?= go
SHELL   := bash
.SHELLFLAGS := -eu -o pipefail -c
BIN     := bin/settle
# The whole suite takes well under a few minutes on two cores; the timeout
# only catches a hang.
TESTFLAGS ?= -timeout 10m

.PHONY: all build run test bench tools fmt vet clean help

all: build

help:
	@echo "make build   build $(BIN)"
	@echo "make run     build, then simulate scenarios/baseline.toml into results/"
	@echo "make test    go vet and go test, as CI runs them"
	@echo "make bench   engine benchmarks into results/bench.txt (benchstat if installed)"
	@echo "make tools   install benchstat"
	@echo "make fmt     gofmt the sources"
	@echo "make vet     go vet"
	@echo "make clean   remove bin/ (results/ is kept: delete runs by hand)"

# -buildvcs=auto (over a GOFLAGS=-buildvcs=false) records the commit in the
# binary: settle version and every manifest's engine_build show it. Where git
# cannot tell the status (a checkout owned by another user, say), the build
# goes on without it (and a compile error shows on the second try).
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/settle 2>/dev/null || { echo "make build: git cannot tell this checkout's status; building without the commit (engine_build)"; $(GO) build -buildvcs=false -o $(BIN) ./cmd/settle; }

run: build
	./$(BIN) run scenarios/baseline.toml

test:
	$(GO) vet ./...
	$(GO) test $(TESTFLAGS) ./...

# -count 6 gives benchstat enough samples for a median and a confidence interval.
bench:
	@mkdir -p results
	$(GO) test -run '^$$' -bench . -benchmem -count 6 -timeout 30m ./sim/engine/ | tee results/bench.txt
	@if command -v benchstat >/dev/null 2>&1; then \
		benchstat results/bench.txt; \
	elif [ -x "$$($(GO) env GOPATH)/bin/benchstat" ]; then \
		"$$($(GO) env GOPATH)/bin/benchstat" results/bench.txt; \
	else \
		echo "(install benchstat with 'make tools' for a statistical summary)"; \
	fi

tools:
	$(GO) install golang.org/x/perf/cmd/benchstat@latest

fmt:
	$(GO) fmt ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin
