# Runs one consumer scenario (see consumer/CMakeLists.txt): for "package",
# installs the built library into a scratch prefix first; then configures,
# builds and runs the consumer. Invoked by ctest with -D variables:
# MODE, SOURCE_DIR, BUILD_DIR (this project's build), WORK_DIR, GENERATOR.
file(REMOVE_RECURSE ${WORK_DIR})
set(args -G ${GENERATOR} -DCONSUME_MODE=${MODE} -DCANCELLATION_SOURCE_DIR=${SOURCE_DIR})
if(MODE STREQUAL "package")
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    list(APPEND args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/build ${args}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK_DIR}/build/consumer COMMAND_ERROR_IS_FATAL ANY)
