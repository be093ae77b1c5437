# Per-target build settings: warnings and sanitizers are never set globally.

function(clipset_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports string concatenation as an overlapping or oversized memcpy at -O2
    # (GCC bugs 105651, 105329: false positives fixed in GCC 13).
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
  endif()
  if(CLIPSET_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(clipset_enable_sanitizers target)
  if(CLIPSET_SANITIZE)
    # No recovery: the first report fails the test that caused it.
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_compile_options(${target} PRIVATE ${flags})
    target_link_options(${target} PRIVATE ${flags})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
      # What links the archive (an installed package's users too) needs the sanitizer runtimes.
      target_link_options(${target} INTERFACE -fsanitize=address,undefined)
    endif()
  endif()
endfunction()

function(clipset_target_defaults target)
  clipset_enable_warnings(${target})
  clipset_enable_sanitizers(${target})
endfunction()
