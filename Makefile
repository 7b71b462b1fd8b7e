# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test bench clean chromium

# A stamp per extra, so `make run` after `make test` reinstalls nothing.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/jobdeck

test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

# Browser tests drive Debian's Chromium (Playwright cannot fetch its own here),
# with a CJK font so the zh-TW screenshots are readable.
chromium:
	@if [ ! -x "$(CHROMIUM)" ] || ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "Browser tests need Chromium at $(CHROMIUM) and a CJK font. Install them (Debian/Ubuntu: sudo apt-get install chromium fonts-wqy-microhei)"; \
	    echo "or point CHROMIUM=/path/to/chromium at one; those tests are skipped until then."; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info
