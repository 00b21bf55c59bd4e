# strata: the two set-up commands are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/strata

.PHONY: deps build release demo test bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	SWIFT=$(SWIFT) bash scripts/build-release.sh

# Builds a release binary and opens the explorer on the built-in demo image. Without a
# terminal (a script, CI) it prints the demo's layers and its scan instead: it never fails.
demo: release
	@if [ -t 0 ] && [ -t 1 ]; then \
		$(RELEASE_BIN) explore --demo; \
	else \
		tmp=$$(mktemp -d) && $(RELEASE_BIN) demo --write $$tmp/strata-demo.tar && \
		$(RELEASE_BIN) layers $$tmp/strata-demo.tar && \
		{ $(RELEASE_BIN) scan --no-cache $$tmp/strata-demo.tar || true; }; rm -rf $$tmp; \
	fi

# Builds, starts the services the tests need (they start their own registries), runs every test.
test: deps
	$(SWIFT) build --build-tests
	bash scripts/test.sh

# Benchmarks against the peers on the large image (built on first use).
bench: release
	bash bench/run.sh

clean:
	rm -rf .build
