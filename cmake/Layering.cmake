# Layering rules (DEVELOPERS style rule 1): each third-party dependency
# belongs to one folder. Checked at configure time over every source file so
# that a violation fails the build, not only review.
set(KSYNTH_LAYERING_RULES
  "z3|solver"
  "llvm/|verify"
  "clang/|verify"
  "CL/|runtime"
  "curl/|synth")

function(ksynth_check_layering)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/support/*.cpp ${CMAKE_SOURCE_DIR}/support/*.h
    ${CMAKE_SOURCE_DIR}/solver/*.cpp ${CMAKE_SOURCE_DIR}/solver/*.h
    ${CMAKE_SOURCE_DIR}/spec/*.cpp ${CMAKE_SOURCE_DIR}/spec/*.h
    ${CMAKE_SOURCE_DIR}/verify/*.cpp ${CMAKE_SOURCE_DIR}/verify/*.h
    ${CMAKE_SOURCE_DIR}/runtime/*.cpp ${CMAKE_SOURCE_DIR}/runtime/*.h
    ${CMAKE_SOURCE_DIR}/synth/*.cpp ${CMAKE_SOURCE_DIR}/synth/*.h
    ${CMAKE_SOURCE_DIR}/tools/*.cpp ${CMAKE_SOURCE_DIR}/tools/*.h)
  set(violations "")
  foreach(f ${files})
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${f})
    string(REGEX MATCH "^[^/]+" folder "${rel}")
    file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(rule ${KSYNTH_LAYERING_RULES})
      string(REPLACE "|" ";" parts "${rule}")
      list(GET parts 0 prefix)
      list(GET parts 1 owner)
      foreach(inc ${includes})
        if(inc MATCHES "#[ \t]*include[ \t]*[<\"]${prefix}" AND NOT folder STREQUAL owner)
          list(APPEND violations "${rel}: '${inc}' belongs in ${owner}/")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(violations)
    string(REPLACE ";" "\n  " msg "${violations}")
    message(FATAL_ERROR "Layering violations:\n  ${msg}")
  endif()
endfunction()
