# Layering: which folder may include what, declared once here and checked
# over every source file at configure time (and again at build time, for
# edits that do not re-run the configure step), so that a violation fails the
# build, not only review. The picture is in docs/architecture.md.
#
# Run on any tree without configuring:
#   cmake -DKSYNTH_LAYERING_ROOT=DIR -P cmake/Layering.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.20)
endif()

# 1. Project folders. One entry per folder that is a layer:
#      "FOLDER|ALLOWED ..."
#    A file belongs to the longest FOLDER that is a prefix of its path (so a
#    sub-folder such as verify/exec is an entry of its own once it is listed
#    here; until then it is part of verify). Its files may include their own
#    entry's headers and those of the ALLOWED entries: "X" allows X's files
#    only (not its sub-folders that are entries of their own), "X/*" allows
#    X and every entry below it. An `#include "X/..."` whose X is a project
#    folder but whose entry is not allowed fails with its file and line, and
#    so does a file of a project folder that no entry covers.
#    Keep the link edges in CMakeLists.txt within these.
set(KSYNTH_LAYERING_FOLDERS
  "support|"
  "solver|support"
  "spec|support"
  # verify/ by sub-folder, bottom up: the contracts every layer shares,
  # the compiler front end, the float numerics and SMT domain, the NDRange
  # executor, the obligation discharger, the verification methods, and the
  # entry point (verify/ itself: method choice and the per-shape pipeline).
  "verify/core|support solver spec"
  "verify/compile|support solver spec verify/core"
  "verify/numerics|support solver spec verify/core"
  "verify/exec|support solver spec verify/core verify/numerics"
  "verify/discharge|support solver spec verify/core verify/numerics verify/exec"
  "verify/methods|support solver spec verify/core verify/numerics verify/exec verify/discharge"
  "verify|support solver spec verify/*"
  # The standalone worker (runtime/worker/README.md): only the standard
  # library, OpenCL and nlohmann/json, so that it builds on the GPU machine.
  "runtime/worker|"
  "runtime|support spec runtime/worker"
  # The synthesizer (issues 14, 16): verifies candidates, then runs and
  # times the proven ones.
  "synth|support spec verify/* runtime/*"
  # The CI gate (issue 15): runs `ksynth verify` processes, caches their
  # verdicts (keys from verify/CacheKey.h), writes CI reports.
  "gate|support solver spec verify/*"
  "tools/ksynth|support solver spec verify/* runtime/* synth/* gate"
  # Unit tests see their library and what it may include, nothing above.
  "tests/unit/support|support"
  "tests/unit/solver|support solver"
  "tests/unit/spec|support spec"
  "tests/unit/verify|support solver spec verify/*"
  "tests/unit/runtime|support spec runtime/*"
  "tests/unit/gate|support solver spec verify/* gate"
  "tests/unit/synth|support spec verify/* runtime/* synth")

# 2. Third-party dependencies: "INCLUDE_PREFIX|OWNER", each belongs to one
#    folder (OWNER and the folders below it).
set(KSYNTH_LAYERING_RULES
  "z3|solver"
  "cvc5/|solver"
  "llvm/|verify"
  "clang/|verify"
  "CL/|runtime/worker"
  "curl/|synth")

# The entry (from KSYNTH_LAYERING_FOLDERS) that PATH belongs to, or "".
function(_ksynth_layering_entry path out)
  set(best "")
  set(bestlen 0)
  foreach(entry ${KSYNTH_LAYERING_FOLDERS})
    string(REGEX REPLACE "\\|.*" "" folder "${entry}")
    string(LENGTH "${folder}/" len)
    string(SUBSTRING "${path}" 0 ${len} head)
    if(head STREQUAL "${folder}/" AND len GREATER bestlen)
      set(best "${folder}")
      set(bestlen ${len})
    endif()
  endforeach()
  set(${out} "${best}" PARENT_SCOPE)
endfunction()

# The ALLOWED list of ENTRY.
function(_ksynth_layering_allowed entry out)
  set(allowed "")
  foreach(e ${KSYNTH_LAYERING_FOLDERS})
    if(e MATCHES "^([^|]*)\\|(.*)$" AND CMAKE_MATCH_1 STREQUAL entry)
      string(REGEX REPLACE "[ \t]+" ";" allowed "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(${out} "${allowed}" PARENT_SCOPE)
endfunction()

# TRUE if a file of entry FROM may include a header of entry TO.
function(_ksynth_layering_may from to out)
  set(ok FALSE)
  if(from STREQUAL to)
    set(ok TRUE)
  endif()
  _ksynth_layering_allowed("${from}" allowed)
  foreach(a ${allowed})
    if(a MATCHES "^(.*)/\\*$")
      set(base "${CMAKE_MATCH_1}")
      string(LENGTH "${base}/" len)
      string(SUBSTRING "${to}" 0 ${len} head)
      if(to STREQUAL base OR head STREQUAL "${base}/")
        set(ok TRUE)
      endif()
    elseif(a STREQUAL to)
      set(ok TRUE)
    endif()
  endforeach()
  set(${out} ${ok} PARENT_SCOPE)
endfunction()

# "FILE:LINE" of the first line of FILE (absolute) containing TEXT.
function(_ksynth_layering_where file rel text out)
  file(STRINGS "${file}" lines)
  set(n 0)
  set(where "${rel}")
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    string(FIND "${line}" "${text}" at)
    if(NOT at EQUAL -1)
      set(where "${rel}:${n}")
      break()
    endif()
  endforeach()
  set(${out} "${where}" PARENT_SCOPE)
endfunction()

# The project's source files under ROOT (absolute paths).
function(ksynth_layering_files root out)
  set(tops "")
  foreach(entry ${KSYNTH_LAYERING_FOLDERS})
    string(REGEX REPLACE "[|/].*" "" top "${entry}")
    list(APPEND tops ${top})
  endforeach()
  list(REMOVE_DUPLICATES tops)
  set(globs "")
  foreach(top ${tops})
    foreach(ext cpp cc h hpp)
      list(APPEND globs ${root}/${top}/*.${ext})
    endforeach()
  endforeach()
  if(CMAKE_SCRIPT_MODE_FILE)
    file(GLOB_RECURSE files ${globs})
  else()
    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${globs})
  endif()
  list(SORT files)
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# The CMake target built from ENTRY's folder: ksynth_<folder with / as _>,
# except the CLI (ksynth) and the worker (ksynth-worker).
function(_ksynth_layering_target entry out)
  if(entry STREQUAL "tools/ksynth")
    set(${out} ksynth PARENT_SCOPE)
  elseif(entry STREQUAL "runtime/worker")
    set(${out} ksynth-worker PARENT_SCOPE)
  else()
    string(REPLACE "/" "_" t "${entry}")
    set(${out} ksynth_${t} PARENT_SCOPE)
  endif()
endfunction()

# Link edges within the table: a target of an entry may link the target of
# another entry only where its files may include that entry's headers.
# Appends to the list named LIST_VAR in the caller's scope.
function(_ksynth_layering_check_links list_var)
  set(found "${${list_var}}")
  foreach(entry ${KSYNTH_LAYERING_FOLDERS})
    string(REGEX REPLACE "\\|.*" "" from "${entry}")
    _ksynth_layering_target("${from}" target)
    if(NOT TARGET ${target})
      continue()
    endif()
    get_target_property(libs ${target} LINK_LIBRARIES)
    get_target_property(ilibs ${target} INTERFACE_LINK_LIBRARIES)
    foreach(lib ${libs} ${ilibs})
      if(lib MATCHES "^\\$<LINK_ONLY:(.*)>$")
        set(lib "${CMAKE_MATCH_1}")
      endif()
      foreach(e2 ${KSYNTH_LAYERING_FOLDERS})
        string(REGEX REPLACE "\\|.*" "" to "${e2}")
        _ksynth_layering_target("${to}" t2)
        if(lib STREQUAL t2)
          _ksynth_layering_may("${from}" "${to}" ok)
          if(NOT ok)
            list(APPEND found "target ${target} links ${lib}: ${from}/ may not include ${to}/")
          endif()
        endif()
      endforeach()
    endforeach()
  endforeach()
  set(${list_var} "${found}" PARENT_SCOPE)
endfunction()

# Checks every source file under ROOT (default: the source tree), and in a
# configured project the link edges between the folders' targets; a
# violation is a FATAL_ERROR naming file, line and include.
function(ksynth_check_layering)
  set(root "${CMAKE_SOURCE_DIR}")
  if(ARGC GREATER 0)
    set(root "${ARGV0}")
  endif()
  set(tops "")
  foreach(entry ${KSYNTH_LAYERING_FOLDERS})
    string(REGEX REPLACE "[|/].*" "" top "${entry}")
    list(APPEND tops ${top})
  endforeach()
  list(REMOVE_DUPLICATES tops)
  ksynth_layering_files("${root}" files)
  set(violations "")
  foreach(f ${files})
    file(RELATIVE_PATH rel "${root}" "${f}")
    _ksynth_layering_entry("${rel}" from)
    if(from STREQUAL "")
      list(APPEND violations
        "${rel}: its folder has no entry in KSYNTH_LAYERING_FOLDERS")
      continue()
    endif()
    get_filename_component(dir "${rel}" DIRECTORY)
    file(STRINGS "${f}" includes
      REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"][^>\"]+[>\"]")
    foreach(line ${includes})
      if(NOT line MATCHES "#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
        continue()
      endif()
      set(delim "${CMAKE_MATCH_1}")
      set(inc "${CMAKE_MATCH_2}")
      if(delim STREQUAL "<")
        set(shown "<${inc}>")
      else()
        set(shown "\"${inc}\"")
      endif()
      # Third-party headers.
      foreach(rule ${KSYNTH_LAYERING_RULES})
        string(REPLACE "|" ";" parts "${rule}")
        list(GET parts 0 prefix)
        list(GET parts 1 owner)
        string(LENGTH "${prefix}" plen)
        string(SUBSTRING "${inc}" 0 ${plen} head)
        string(LENGTH "${owner}/" olen)
        string(SUBSTRING "${rel}" 0 ${olen} ohead)
        if(head STREQUAL prefix AND NOT ohead STREQUAL "${owner}/")
          _ksynth_layering_where("${f}" "${rel}" "${inc}" where)
          list(APPEND violations
            "${where}: #include ${shown}: ${prefix}... belongs in ${owner}/ only")
        endif()
      endforeach()
      # Project headers: "X/..." from the source root, or a relative path
      # ("../X/...") that leaves the including file's folder.
      set(target "${inc}")
      if(delim STREQUAL "\"" AND inc MATCHES "^\\.\\.?/")
        get_filename_component(abs "${root}/${dir}/${inc}" ABSOLUTE)
        file(RELATIVE_PATH target "${root}" "${abs}")
      endif()
      string(REGEX REPLACE "/.*" "" top "${target}")
      if(NOT target MATCHES "/" OR NOT top IN_LIST tops)
        continue()
      endif()
      _ksynth_layering_entry("${target}" to)
      if(to STREQUAL "")
        _ksynth_layering_where("${f}" "${rel}" "${inc}" where)
        list(APPEND violations
          "${where}: #include ${shown}: its folder has no entry in KSYNTH_LAYERING_FOLDERS")
        continue()
      endif()
      _ksynth_layering_may("${from}" "${to}" ok)
      if(NOT ok)
        _ksynth_layering_allowed("${from}" allowed)
        string(REPLACE ";" " " allowed "${allowed}")
        if(allowed STREQUAL "")
          set(allowed "only its own files")
        endif()
        _ksynth_layering_where("${f}" "${rel}" "${inc}" where)
        list(APPEND violations
          "${where}: #include ${shown}: ${from}/ may not include ${to}/ (${from}/ may include: ${allowed})")
      endif()
    endforeach()
  endforeach()
  if(NOT CMAKE_SCRIPT_MODE_FILE)
    _ksynth_layering_check_links(violations)
  endif()
  if(violations)
    string(REPLACE ";" "\n  " msg "${violations}")
    message(FATAL_ERROR "Layering violations (the rules are in "
      "cmake/Layering.cmake):\n  ${msg}")
  endif()
endfunction()

# The same check at build time: a stamp that depends on every source file,
# so an edit that adds a forbidden include fails the next build too.
function(ksynth_add_layering_target)
  ksynth_layering_files("${CMAKE_SOURCE_DIR}" files)
  set(stamp ${CMAKE_BINARY_DIR}/layering.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DKSYNTH_LAYERING_ROOT=${CMAKE_SOURCE_DIR}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${files} ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "Checking the layering of #includes (cmake/Layering.cmake)"
    VERBATIM)
  add_custom_target(ksynth_layering ALL DEPENDS ${stamp})
endfunction()

if("${CMAKE_SCRIPT_MODE_FILE}" STREQUAL "${CMAKE_CURRENT_LIST_FILE}")
  if(NOT KSYNTH_LAYERING_ROOT)
    message(FATAL_ERROR
      "usage: cmake -DKSYNTH_LAYERING_ROOT=DIR -P cmake/Layering.cmake")
  endif()
  get_filename_component(root "${KSYNTH_LAYERING_ROOT}" ABSOLUTE)
  ksynth_check_layering("${root}")
endif()
