# cancellation_set_warnings(<target>): the project's warning set, errors with
# CANCELLATION_WARNINGS_AS_ERRORS (CI turns it on).
function(cancellation_set_warnings target)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
            -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion -Wno-sign-conversion)
        if(CANCELLATION_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${CANCELLATION_WARNINGS_AS_ERRORS}>:/WX>)
    endif()
endfunction()

# cancellation_set_demo_options(<target>): warnings plus the strict Qt defines the demo builds with.
function(cancellation_set_demo_options target)
    cancellation_set_warnings(${target})
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_KEYWORDS
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    )
endfunction()

# cancellation_set_library_options(<target>): the libraries build with the warnings and under
# the strictest Qt settings, so that consumers that use those settings can include their headers.
function(cancellation_set_library_options target)
    cancellation_set_warnings(${target})
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_KEYWORDS
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_NO_URL_CAST_FROM_STRING
        QT_USE_QSTRINGBUILDER
    )
endfunction()
