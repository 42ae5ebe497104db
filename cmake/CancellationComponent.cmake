# cancellation_add_component(<Name> [INTERFACE]
#                            [FIND <find_package arguments>...] [LINK <target>...]
#                            [DEBIAN <package>] [SOURCES <file>...] HEADERS <header>...)
#
# An optional component of the package: the library CancellationToken::<Name>
# (libcancellationtoken<name>; header-only with INTERFACE), built on the core
# library and on the LINK targets, which find_package(<FIND arguments>)
# brings. When one is missing, one CMake line says what is skipped and which
# Debian package brings it; everything else still builds. Call it from
# lib/<name>/, whose include/ holds the component's headers.
#
# The installed package finds the same dependencies again for the component
# (CancellationToken<Name>Dependencies.cmake, read by the package's Config).
function(cancellation_add_component name)
    cmake_parse_arguments(arg "INTERFACE" "DEBIAN" "FIND;LINK;SOURCES;HEADERS" ${ARGN})
    if(arg_FIND)
        find_package(${arg_FIND} QUIET)
    endif()
    foreach(dependency IN LISTS arg_LINK)
        if(NOT TARGET ${dependency})
            message(STATUS "${dependency} not found: skipping the component ${name}; "
                           "Debian: apt install ${arg_DEBIAN}")
            return()
        endif()
    endforeach()

    set(target CancellationToken${name})
    string(TOLOWER ${name} lower)
    string(TOUPPER ${name} upper)
    if(arg_INTERFACE)
        add_library(${target} INTERFACE ${arg_HEADERS})
        set(scope INTERFACE)
        set(export_header)
    else()
        qt_add_library(${target} ${CANCELLATION_LIBRARY_TYPE} ${arg_SOURCES} ${arg_HEADERS})
        set(scope PUBLIC)
        set_target_properties(${target} PROPERTIES
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
        cancellation_set_library_options(${target})
    endif()
    add_library(CancellationToken::${name} ALIAS ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
    target_include_directories(${target} ${scope}
        $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
        $<BUILD_INTERFACE:${CMAKE_CURRENT_BINARY_DIR}/include>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    )
    target_link_libraries(${target} ${scope} CancellationToken::CancellationToken Qt6::Core ${arg_LINK})

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
    set(dependencies_file ${CMAKE_CURRENT_BINARY_DIR}/CancellationToken${name}Dependencies.cmake)
    set(find_line)
    if(arg_FIND)
        list(JOIN arg_FIND " " find_arguments)
        set(find_line "find_package(${find_arguments} QUIET)\n")
    endif()
    file(CONFIGURE OUTPUT ${dependencies_file} CONTENT
        "# What the component ${name} needs, found again by CancellationTokenConfig.cmake.\n${find_line}set(cancellation_component_targets ${arg_LINK})\nset(cancellation_component_debian ${arg_DEBIAN})\n")
    install(FILES ${dependencies_file} DESTINATION ${CANCELLATION_INSTALL_CMAKEDIR})
endfunction()
