# What `cmake --install` and `cpack -G DEB` put in place besides the binary: man pages from docs/,
# shell completions from the command-line definitions, and the core library as a CMake package
# and a pkg-config file (docs/architecture.md, "Installed layout").

# Man pages (cmake/man_pages.cmake), rebuilt when any docs/*.md changes. Without pandoc the build
# says so once, at configure time, and installs no pages.
function(clipset_add_man_pages)
  find_program(CLIPSET_PANDOC pandoc)
  if(NOT CLIPSET_PANDOC)
    message(STATUS "pandoc not found: the man pages are skipped "
                   "(Debian: apt-get install pandoc, or scripts/install-deps.sh --for build-docs)")
    return()
  endif()
  set(out ${PROJECT_BINARY_DIR}/man)
  file(GLOB docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
  set(script ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake)
  add_custom_command(OUTPUT ${out}/pages.stamp
    COMMAND ${CMAKE_COMMAND} -DPANDOC=${CLIPSET_PANDOC} -DDOCS=${PROJECT_SOURCE_DIR}/docs -DOUT=${out}
            -DVERSION=${PROJECT_VERSION} -P ${script}
    COMMAND ${CMAKE_COMMAND} -E touch ${out}/pages.stamp
    DEPENDS ${script} ${docs}
    COMMENT "Writing the man pages from docs/ (pandoc)"
    VERBATIM)
  add_custom_target(clipset_man_pages ALL DEPENDS ${out}/pages.stamp)
  install(DIRECTORY ${out}/man1 ${out}/man5 DESTINATION ${CMAKE_INSTALL_MANDIR})
endfunction()

# bash and zsh completions: the built binary prints them (`clipset __completion`), walking its
# own CLI11 definitions, so every subcommand and option is in them.
function(clipset_add_completions)
  set(out ${PROJECT_BINARY_DIR}/completions)
  add_custom_command(OUTPUT ${out}/clipset ${out}/_clipset
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND clipset __completion bash -o ${out}/clipset
    COMMAND clipset __completion zsh -o ${out}/_clipset
    DEPENDS clipset
    COMMENT "Writing the bash and zsh completions (clipset __completion)"
    VERBATIM)
  add_custom_target(clipset_completions ALL DEPENDS ${out}/clipset ${out}/_clipset)
  install(FILES ${out}/clipset DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${out}/_clipset DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endfunction()

# How a consumer of the installed library finds each third-party target the modules link.
# clipset_pkg_check_modules records its own; the others are declared here, once, by
# clipset_declare_dependency(TARGET FIND "<find_package arguments>" PKG "<pkg-config module>"
# | LIBS "<linker flags>"). A module linking a target declared nowhere fails the configure step.
function(clipset_declare_dependency target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "FIND;PKG;LIBS" "")
  set_property(GLOBAL PROPERTY CLIPSET_DEPENDENCY_FIND_${target} "find_dependency(${arg_FIND})")
  set_property(GLOBAL PROPERTY CLIPSET_DEPENDENCY_PKG_${target} "${arg_PKG}")
  set_property(GLOBAL PROPERTY CLIPSET_DEPENDENCY_LIBS_${target} "${arg_LIBS}")
endfunction()

# pkg_check_modules(PREFIX [REQUIRED] IMPORTED_TARGET modules...), remembering the modules behind
# PkgConfig::PREFIX for the CMake package and clipset.pc.
macro(clipset_pkg_check_modules prefix)
  pkg_check_modules(${prefix} IMPORTED_TARGET ${ARGN})
  set(_clipset_modules ${ARGN})
  list(REMOVE_ITEM _clipset_modules REQUIRED)
  list(JOIN _clipset_modules " " _clipset_modules_text)
  string(CONCAT _clipset_find "if(NOT TARGET PkgConfig::${prefix})\n  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${_clipset_modules_text})\n"
                    "  if(NOT ${prefix}_FOUND)\n    set(clipset_FOUND FALSE)\n"
                    "    set(clipset_NOT_FOUND_MESSAGE \"pkg-config found no ${_clipset_modules_text}\")\n    return()\n  endif()\nendif()")
  set_property(GLOBAL PROPERTY CLIPSET_DEPENDENCY_FIND_PkgConfig::${prefix} "${_clipset_find}")
  # clipset.pc spells a version constraint with spaces: "libavformat >= 59".
  string(REGEX REPLACE "([<>=]+)" " \\1 " _clipset_pc_modules "${_clipset_modules}")
  list(JOIN _clipset_pc_modules ", " _clipset_pc_modules)
  set_property(GLOBAL PROPERTY CLIPSET_DEPENDENCY_PKG_PkgConfig::${prefix} "${_clipset_pc_modules}")
endmacro()

# Every third-party target the modules link, PUBLIC or PRIVATE: a static library's consumer links
# them all.
function(_clipset_third_party_links modules out)
  set(found "")
  foreach(name IN LISTS modules)
    get_target_property(links clipset_${name} LINK_LIBRARIES)
    foreach(link IN LISTS links)
      if(NOT link MATCHES "^clipset_" AND NOT link IN_LIST found)
        list(APPEND found ${link})
      endif()
    endforeach()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# The installed library: the module archives, include/clipset/, clipsetConfig.cmake
# (find_package(clipset) -> clipset::core, clipset::<module>) and clipset.pc.
# LAYERS: the modules bottom up (lib/CMakeLists.txt), which gives the link order.
function(clipset_add_package)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "LAYERS")
  set(modules "")
  foreach(names IN LISTS arg_LAYERS)
    string(REPLACE " " ";" names "${names}")
    list(PREPEND modules ${names})  # top layer first: the link order
  endforeach()
  set(targets clipset_core)
  set(pc_libs "")
  foreach(name IN LISTS modules)
    list(APPEND targets clipset_${name})
    set_target_properties(clipset_${name} PROPERTIES EXPORT_NAME ${name})
    string(APPEND pc_libs " -lclipset_${name}")
  endforeach()
  set_target_properties(clipset_core PROPERTIES EXPORT_NAME core)
  install(TARGETS ${targets} EXPORT clipsetTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/clipset DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)

  _clipset_third_party_links("${modules}" links)
  set(CLIPSET_FIND_DEPENDENCIES "")
  set(pc_requires "")
  foreach(link IN LISTS links)
    get_property(find GLOBAL PROPERTY CLIPSET_DEPENDENCY_FIND_${link})
    if(NOT find)
      message(FATAL_ERROR "a clipset module links ${link}, which the installed package cannot find: "
                          "declare it (clipset_pkg_check_modules or clipset_declare_dependency, cmake/install.cmake)")
    endif()
    get_property(pkg GLOBAL PROPERTY CLIPSET_DEPENDENCY_PKG_${link})
    get_property(libs GLOBAL PROPERTY CLIPSET_DEPENDENCY_LIBS_${link})
    string(APPEND CLIPSET_FIND_DEPENDENCIES "${find}\n")
    if(pkg)
      list(APPEND pc_requires "${pkg}")
    endif()
    if(libs)
      string(APPEND pc_libs " ${libs}")
    endif()
  endforeach()
  if(CLIPSET_SANITIZE)
    string(APPEND pc_libs " -fsanitize=address,undefined")  # the archives call the sanitizer runtimes
  endif()
  list(JOIN pc_requires ", " CLIPSET_PC_REQUIRES)
  set(CLIPSET_PC_LIBS "${pc_libs}")
  _clipset_write_package_files()
endfunction()

function(_clipset_write_package_files)
  include(CMakePackageConfigHelpers)
  set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/clipset)
  set(gen ${PROJECT_BINARY_DIR}/package)
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/clipsetConfig.cmake.in ${gen}/clipsetConfig.cmake
                                INSTALL_DESTINATION ${cmake_dir})
  write_basic_package_version_file(${gen}/clipsetConfigVersion.cmake COMPATIBILITY SameMinorVersion)
  install(EXPORT clipsetTargets NAMESPACE clipset:: DESTINATION ${cmake_dir} COMPONENT development)
  install(FILES ${gen}/clipsetConfig.cmake ${gen}/clipsetConfigVersion.cmake DESTINATION ${cmake_dir}
          COMPONENT development)
  file(RELATIVE_PATH CLIPSET_PC_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" CLIPSET_PC_PREFIX "${CLIPSET_PC_PREFIX}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/clipset.pc.in ${gen}/clipset.pc @ONLY)
  install(FILES ${gen}/clipset.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
endfunction()
