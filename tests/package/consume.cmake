# Runs one consumer scenario (see consumer/CMakeLists.txt). Invoked by ctest
# with -D variables: MODE, SOURCE_DIR, BUILD_DIR (this project's build),
# WORK_DIR, GENERATOR, CXX_COMPILER, QML (ON if the QML module is built),
# COMPONENTS (the other components built, separated by commas).
#   package:     installs the built library into a scratch prefix, then
#                consumes it with find_package and with pkg-config;
#   static:      builds the library alone with BUILD_SHARED_LIBS=OFF, installs
#                it, and consumes it with find_package and pkg-config;
#   subdirectory, fetchcontent: builds the library as part of the consumer.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(compiler -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
set(args -G ${GENERATOR} ${compiler} -DCANCELLATION_SOURCE_DIR=${SOURCE_DIR} -DCONSUME_QML=${QML}
    -DCONSUME_COMPONENTS=${COMPONENTS})
string(REPLACE "," ";" COMPONENTS "${COMPONENTS}")

function(run)
    execute_process(COMMAND ${ARGV} COMMAND_ERROR_IS_FATAL ANY)
endfunction()

if(MODE STREQUAL "static")
    # Also a build without QCoro, as on a machine without qcoro-qt6-dev: the rest builds, and
    # CMake says in one line what it skipped and which package brings it.
    execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/library -G ${GENERATOR}
        ${compiler} -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF
        -DCANCELLATION_BUILD_APP=OFF -DCANCELLATION_BUILD_TESTS=OFF
        -DCMAKE_DISABLE_FIND_PACKAGE_QCoro6=ON
        OUTPUT_VARIABLE configure_output COMMAND_ERROR_IS_FATAL ANY)
    set(skipped "QCoro6::Core not found: skipping the component Coro; Debian: apt install qcoro-qt6-dev")
    string(FIND "${configure_output}" "${skipped}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "The configure output does not say: ${skipped}\n${configure_output}")
    endif()
    list(REMOVE_ITEM COMPONENTS Coro)
    string(REPLACE ";" "," consumed "${COMPONENTS}")
    list(FILTER args EXCLUDE REGEX "^-DCONSUME_COMPONENTS=")
    list(APPEND args -DCONSUME_COMPONENTS=${consumed})
    run(${CMAKE_COMMAND} --build ${WORK_DIR}/library)
    set(BUILD_DIR ${WORK_DIR}/library)
endif()
if(MODE STREQUAL "package" OR MODE STREQUAL "static")
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    list(APPEND args -DCONSUME_MODE=package -DCMAKE_PREFIX_PATH=${prefix})
else()
    list(APPEND args -DCONSUME_MODE=${MODE})
endif()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/build ${args})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
# No environment points at the prefix: the binaries find the library through
# their RPATH, and the QML module through the library.
run(${WORK_DIR}/build/consumer)
if(QML)
    run(${WORK_DIR}/build/qmlconsumer)
endif()
foreach(component IN LISTS COMPONENTS)
    string(TOLOWER ${component} name)
    run(${WORK_DIR}/build/${name}consumer)
endforeach()

if(MODE STREQUAL "package" OR MODE STREQUAL "static")
    # pkg-config, with the installed .pc file only.
    find_program(PKG_CONFIG pkg-config REQUIRED)
    file(GLOB_RECURSE pc_file ${prefix}/*/cancellationtoken.pc)
    get_filename_component(pc_dir "${pc_file}" DIRECTORY)
    set(ENV{PKG_CONFIG_PATH} ${pc_dir})
    set(pkg_args --cflags --libs)
    if(MODE STREQUAL "static")
        list(APPEND pkg_args --static)
    endif()
    execute_process(COMMAND ${PKG_CONFIG} ${pkg_args} cancellationtoken
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    separate_arguments(flags UNIX_COMMAND "${flags}")
    run(${CXX_COMPILER} -std=c++20 -fPIC -o ${WORK_DIR}/pkgconfig-consumer
        ${SOURCE_DIR}/tests/package/consumer/main.cpp ${flags} -Wl,-rpath,${prefix}/lib)
    run(${WORK_DIR}/pkgconfig-consumer)
endif()
