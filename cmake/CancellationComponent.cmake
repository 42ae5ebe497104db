# cancellation_add_component(<Name> [QT <Qt6 component> DEBIAN <package>]
#                            SOURCES <file>... HEADERS <header>...)
#
# An optional component of the package: the library CancellationToken::<Name>
# (libcancellationtoken<name>), built on the core library and, with QT, on
# that Qt module. When the Qt module is missing, one line says what is
# skipped and which Debian package brings it; everything else still builds.
# Call it from lib/<name>/, whose include/ holds the component's headers.
function(cancellation_add_component name)
    cmake_parse_arguments(arg "" "QT;DEBIAN" "SOURCES;HEADERS" ${ARGN})
    set(qt_targets)
    if(arg_QT)
        find_package(Qt6 6.4 QUIET COMPONENTS ${arg_QT})
        if(NOT Qt6${arg_QT}_FOUND)
            message(STATUS "Qt6${arg_QT} not found: skipping the component ${name}; "
                           "Debian: apt install ${arg_DEBIAN}")
            return()
        endif()
        set(qt_targets Qt6::${arg_QT})
    endif()

    set(target CancellationToken${name})
    string(TOLOWER ${name} lower)
    string(TOUPPER ${name} upper)
    qt_add_library(${target} ${CANCELLATION_LIBRARY_TYPE} ${arg_SOURCES} ${arg_HEADERS})
    add_library(CancellationToken::${name} ALIAS ${target})
    set_target_properties(${target} PROPERTIES
        EXPORT_NAME ${name}
        OUTPUT_NAME cancellationtoken${lower}
        VERSION ${PROJECT_VERSION}
        SOVERSION ${CANCELLATION_SOVERSION}
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
    )
    set(export_header ${CMAKE_CURRENT_BINARY_DIR}/include/Cancellation/cancellation${lower}_export.h)
    generate_export_header(${target} BASE_NAME CANCELLATION_${upper} EXPORT_FILE_NAME ${export_header})
    if(CANCELLATION_LIBRARY_TYPE STREQUAL "STATIC")
        target_compile_definitions(${target} PUBLIC CANCELLATION_${upper}_STATIC_DEFINE)
    endif()
    target_include_directories(${target} PUBLIC
        $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
        $<BUILD_INTERFACE:${CMAKE_CURRENT_BINARY_DIR}/include>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    )
    target_link_libraries(${target} PUBLIC CancellationToken::CancellationToken Qt6::Core ${qt_targets})
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_KEYWORDS
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_NO_URL_CAST_FROM_STRING
        QT_USE_QSTRINGBUILDER
    )
    cancellation_set_warnings(${target})

    install(TARGETS ${target}
        EXPORT CancellationToken${name}Targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    )
    install(FILES ${arg_HEADERS} ${export_header}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/Cancellation)
    install(EXPORT CancellationToken${name}Targets
        NAMESPACE CancellationToken::
        DESTINATION ${CANCELLATION_INSTALL_CMAKEDIR}
    )
endfunction()
