# Runs the layering check on tests/layering/fixture, where lib/top breaks three rules, and
# passes only if the check fails naming each file, #include and rule.
#   cmake -DCHECKER=cmake/check_layering.cmake -DFIXTURE=tests/layering/fixture -P expect_violations.cmake
execute_process(COMMAND ${CMAKE_COMMAND} -DTABLE=${FIXTURE}/table.cmake -DROOT=${FIXTURE} -P ${CHECKER}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(status EQUAL 0)
  message(FATAL_ERROR "the layering check passed a tree with forbidden #includes")
endif()
set(expected
  "lib/top/top.cpp:4: #include \"clipset/middle.hpp\": clipset/middle.hpp belongs to module middle, and module top may use only what it links: top, base"
  "lib/top/top.cpp:6: #include \"../middle/helper.hpp\": lib/middle/helper.hpp is a private header of module middle"
  "lib/top/top.cpp:1: #include <sndfile.h>: sndfile.h comes from PkgConfig::SNDFILE, which module top does not link"
  "layering: 3 violation")
foreach(line IN LISTS expected)
  string(FIND "${output}" "${line}" at)
  if(at LESS 0)
    message(FATAL_ERROR "the layering check's output lacks: ${line}")
  endif()
endforeach()
