# pedigree — build, demo and test targets. `make help` lists them.
GO ?= go
BIN := bin/pedigree
STATICCHECK_VERSION := v0.8.2

.PHONY: help build install demo test race lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build ./bin/pedigree
	$(GO) build -trimpath -o $(BIN) ./cmd/pedigree

install: ## go install the pedigree command
	$(GO) install ./cmd/pedigree

demo: build ## build pedigree and run it end to end on examples/demo
	./examples/demo.sh $(BIN)

test: ## run the whole test suite
	$(GO) test ./...

race: ## the whole test suite under the race detector
	$(GO) test -race ./...

lint: ## gofmt, go vet and staticcheck (pinned)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

bench: ## Go benchmarks and the comparison scripts in bench/ (run.sh builds its own pedigree)
	./bench/run.sh

clean: ## remove build output
	rm -rf bin
