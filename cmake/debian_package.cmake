# `cpack -G DEB` (from the build folder): one .deb with everything `cmake --install` puts in
# place, under /usr. Its Depends come from dpkg-shlibdeps, read off the binary's own links.
set(CLIPSET_PACKAGE_MAINTAINER "clipset maintainers <clipset@users.noreply.invalid>"
    CACHE STRING "The Maintainer field of the Debian package")

# cpack (and `make install`) package what `cmake --build` built, without building first: inside
# ctest (tests/install/deb_test.sh) a build of everything would run beside the tests it builds.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME clipset)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${CLIPSET_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "turn folders of recordings into clean, split, validated audio datasets")
set(CPACK_PACKAGE_DESCRIPTION
    "clipset scans raw recordings (phones, field recorders, Audacity label tracks, a CSV sheet) into a
JSON Lines manifest, cuts labelled clips, assigns leak-free train/val/test splits, reports what is
in the dataset and how far its annotators agree, validates it for CI, estimates how much data a
target accuracy needs, and exports it for training frameworks. With man pages, bash and zsh
completions, and the core library for C++ (CMake package and pkg-config file).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CLIPSET_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
