# Building and installing lambdasim's C library (header, shared and static
# library, pkg-config file, CMake package). The Rust crates build with cargo;
# bindings/c/Makefile has the C tests.
#
#   make                          cargo build --release -p lambdasim-ffi
#   make install PREFIX=/opt/ls   scripts/install.sh on what `make` built (PREFIX
#                                 defaults to /usr/local; LIBDIR, INCLUDEDIR and
#                                 DESTDIR are honoured). It never runs cargo, so
#                                 `make && sudo make install` works.
#   make uninstall PREFIX=...     removes exactly what install put there
#   make test-install             scripts/test-install.sh: install into a temporary
#                                 prefix, build an example with pkg-config and CMake
#
# LSIM_NO_CARGO=1 skips the cargo build (the library is already built).

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR ?=
CARGO ?= cargo

.PHONY: all install uninstall test-install

all:
ifneq ($(LSIM_NO_CARGO),1)
	$(CARGO) build --release -p lambdasim-ffi --locked
endif

install:
	LSIM_NO_CARGO=1 LIBDIR="$(LIBDIR)" INCLUDEDIR="$(INCLUDEDIR)" DESTDIR="$(DESTDIR)" scripts/install.sh $(PREFIX)

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/lambdasim.h
	rm -f $(DESTDIR)$(LIBDIR)/liblambdasim.so $(DESTDIR)$(LIBDIR)/liblambdasim.so.[0-9]*
	rm -f $(DESTDIR)$(LIBDIR)/liblambdasim.a $(DESTDIR)$(LIBDIR)/pkgconfig/lambdasim.pc
	rm -f $(DESTDIR)$(LIBDIR)/cmake/lambdasim/lambdasimConfig.cmake
	rm -f $(DESTDIR)$(LIBDIR)/cmake/lambdasim/lambdasimConfigVersion.cmake
	-rmdir $(DESTDIR)$(LIBDIR)/cmake/lambdasim 2>/dev/null

test-install:
	LSIM_NO_CARGO=1 scripts/test-install.sh
