# tidings - build, test, evaluate, benchmark.  `make help` lists the targets.
#
# Every target that needs packages depends on `deps`, which installs what is
# missing with apt-get (Debian; run as root, or with sudo available).

SHELL := /bin/bash
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=c99 -Wall -Wextra -Wno-unused-parameter -D_POSIX_C_SOURCE=200809L
PKGS_C := libutf8proc libpcre2-8
LIBS_C = $(shell pkg-config --libs $(PKGS_C) 2>/dev/null || echo -lutf8proc -lpcre2-8) -lm
CFLAGS_C = $(shell pkg-config --cflags $(PKGS_C) 2>/dev/null)
# Overrides for unusual systems: make UTF8PROC_DIR=/opt/utf8proc PCRE2_DIR=...
ifdef UTF8PROC_DIR
  CFLAGS_C += -I$(UTF8PROC_DIR)/include
  LIBS_C := -L$(UTF8PROC_DIR)/lib $(LIBS_C)
endif
ifdef PCRE2_DIR
  CFLAGS_C += -I$(PCRE2_DIR)/include
  LIBS_C := -L$(PCRE2_DIR)/lib $(LIBS_C)
endif

# Debian packages the project needs (build, tests, benchmarks, hosts).
DEB_PKGS := build-essential pkg-config clang libclang-rt-14-dev \
  lua5.1 liblua5.1-0-dev lua5.2 liblua5.2-dev lua5.3 liblua5.3-dev lua5.4 liblua5.4-dev \
  luajit2 libluajit2-5.1-dev lua-busted lua-lpeg luarocks \
  libutf8proc-dev libpcre2-dev libicu-dev unicode-data iso-codes \
  nginx libnginx-mod-http-lua pandoc wrk curl parallel chromium neovim locales
# locales: spec/json_spec.lua checks JSON numbers under a decimal-comma C locale;
# deps generates de_DE.UTF-8 for it when the machine has no such locale.
# luajit2/libluajit2-5.1-dev (OpenResty's LuaJIT 2.1, /usr/bin/luajit and luajit.pc) and not
# luajit/libluajit-5.1-dev: Debian's nginx Lua module needs lua-resty-core, which needs
# libluajit2-5.1-2, and that conflicts with libluajit-5.1-2.
DEPS_STAMP := build/.deps-ok

# Lua versions: name, interpreter, pkg-config module.
LUA_VERSIONS := 5.4 5.3 5.2 5.1 jit
lua_bin_5.4 := lua5.4
lua_bin_5.3 := lua5.3
lua_bin_5.2 := lua5.2
lua_bin_5.1 := lua5.1
lua_bin_jit := luajit
lua_pc_5.4 := lua5.4
lua_pc_5.3 := lua5.3
lua_pc_5.2 := lua5.2
lua_pc_5.1 := lua5.1
lua_pc_jit := luajit
# The versions present on this machine (after `make deps`).
HAVE_LUAS = $(foreach v,$(LUA_VERSIONS),$(if $(shell command -v $(lua_bin_$(v)) 2>/dev/null),$(if $(shell pkg-config --exists $(lua_pc_$(v)) 2>/dev/null && echo y),$(v))))

SRC := $(sort $(wildcard csrc/*.c))
CORE_SRC := $(filter-out csrc/lua_%.c,$(SRC))
HDR := $(wildcard csrc/*.h)

.PHONY: all help deps build test check asan fuzz eval bench report clean lint

all: build

help:
	@echo "make deps     install the Debian packages the project needs (apt-get)"
	@echo "make build    build tidings/core.so for every installed Lua (build/<ver>/)"
	@echo "make test     build, then run the whole suite under every Lua, the rockspec"
	@echo "              install check, and print 'N passed, N failed'"
	@echo "make check LUA=5.4 SPEC=spec/x_spec.lua   one spec file under one Lua"
	@echo "make asan     the suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make fuzz     libFuzzer over every fuzz/fuzz_*.c target (FUZZ_TIME=60 in all)"
	@echo "make eval     accuracy on ../shared/data (when present)"
	@echo "make bench    speed and memory against peers (bench/)"
	@echo "make report   the main job: a report over corpus/"
	@echo "make serve    the HTTP service (nginx + Lua module) on 127.0.0.1:8642 (server/)"
	@echo "make clean"

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; } || exit 1; \
	fi
	@locale -a 2>/dev/null | grep -qiE '^(de_DE|fr_FR)\.utf-?8$$' || \
	  { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO localedef -i de_DE -c -f UTF-8 de_DE.UTF-8; } || exit 1
	@mkdir -p build && touch $@

# One module per Lua version: build/<ver>/tidings/core.so
define LUA_RULES
build/$(1)/tidings/core.so: $(SRC) $(HDR) | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	$$(CC) $$(WARN) $$(CFLAGS) -fPIC -shared $$(shell pkg-config --cflags $(lua_pc_$(1))) $$(CFLAGS_C) \
	  -o $$@ $$(SRC) $$(LIBS_C)
endef
$(foreach v,$(LUA_VERSIONS),$(eval $(call LUA_RULES,$(v))))

build: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory $(foreach v,$(HAVE_LUAS),build/$(v)/tidings/core.so)

test: build
	@bash tools/run-tests.sh $(HAVE_LUAS)

LUA ?= 5.4
SPEC ?= spec
check: build
	@bash tools/run-tests.sh --only $(LUA) $(SPEC)

# Sanitizers: gcc's ASan/UBSan runtime preloaded into the stock interpreter.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
build/asan/tidings/core.so: $(SRC) $(HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(WARN) $(ASAN_FLAGS) -fPIC -shared $(shell pkg-config --cflags lua5.4) $(CFLAGS_C) -o $@ $(SRC) $(LIBS_C)
asan: build/asan/tidings/core.so
	@bash tools/run-tests.sh --asan $(SPEC)

# libFuzzer over the plain C core (no Lua).
FUZZ_TIME ?= 60
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
build/fuzz/%: fuzz/%.c $(CORE_SRC) $(HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang -g -O1 -Icsrc -fsanitize=fuzzer,address,undefined $(CFLAGS_C) -o $@ $< $(CORE_SRC) $(LIBS_C)
fuzz: $(FUZZ_TARGETS)
	@n=$(words $(FUZZ_TARGETS)); per=$$(( $(FUZZ_TIME) / (n > 0 ? n : 1) )); [ $$per -ge 5 ] || per=5; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$(basename $$t); \
	  echo "fuzzing $$t for $$per s"; \
	  $$t -max_total_time=$$per -max_len=4096 -rss_limit_mb=2048 build/fuzz/corpus-$$(basename $$t) fuzz/seeds 2>&1 | tail -3 || exit 1; \
	done

eval: build
	@for f in eval/*.lua; do [ -f "$$f" ] || continue; echo "== $$f"; \
	  LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/5.4/?.so;;" lua5.4 $$f || exit 1; done

# The main job: a report over corpus/ (Markdown on stdout and in report.md,
# a self-contained page in report.html).
REPORT_INPUT ?= corpus/
report: build
	lua5.4 bin/tidings report $(REPORT_INPUT) --format html -o report.html
	lua5.4 bin/tidings report $(REPORT_INPUT) --format md -o report.md
	@cat report.md
	@echo; echo "wrote report.md and report.html"

-include bench/Makefile.inc
-include server/Makefile.inc

clean:
	rm -rf build
