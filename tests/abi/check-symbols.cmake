# Compares the dynamic symbols that LIBRARY defines with the list in LIST.
# -D variables: LIBRARY, LIST, NM and CXXFILT (default: from PATH), UPDATE=ON
# to rewrite LIST instead.
cmake_policy(VERSION 3.21)

if(NOT NM)
    set(NM nm)
endif()
if(NOT CXXFILT)
    set(CXXFILT c++filt)
endif()
execute_process(COMMAND ${NM} --dynamic --defined-only --format=posix ${LIBRARY}
                COMMAND cut -d " " -f 1
                COMMAND ${CXXFILT}
                OUTPUT_VARIABLE output COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" actual "${output}")
list(FILTER actual EXCLUDE REGEX "^$")
list(REMOVE_DUPLICATES actual) # complete and base-object constructors demangle alike
list(SORT actual)

if(UPDATE)
    list(JOIN actual "\n" content)
    file(WRITE ${LIST} "${content}\n")
    list(LENGTH actual count)
    message(STATUS "Wrote ${count} symbols to ${LIST}")
    return()
endif()

file(STRINGS ${LIST} expected)
set(added ${actual})
list(REMOVE_ITEM added ${expected})
set(removed ${expected})
list(REMOVE_ITEM removed ${actual})
foreach(symbol IN LISTS removed)
    message("removed: ${symbol}")
endforeach()
foreach(symbol IN LISTS added)
    message("added:   ${symbol}")
endforeach()
if(added OR removed)
    message(FATAL_ERROR "The exported symbols differ from ${LIST}. Export only public API; "
                        "if the change is deliberate, update the list (see tests/abi/CMakeLists.txt), "
                        "and bump CANCELLATION_SOVERSION if anything was removed or changed.")
endif()
list(LENGTH actual count)
message(STATUS "${count} exported symbols, as listed")
