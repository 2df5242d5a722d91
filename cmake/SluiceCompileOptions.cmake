# One INTERFACE target carries the project's compile options, so every target
# (core, ui, executables, tests, benchmarks, fuzzers) gets the same strictness.
add_library(sluice_options INTERFACE)
add_library(Sluice::options ALIAS sluice_options)

target_compile_definitions(sluice_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    SLUICE_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(sluice_options INTERFACE
        -Wall -Wextra -pedantic -Wold-style-cast -Wnon-virtual-dtor)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(sluice_options INTERFACE -Wshadow=local)
    else()
        target_compile_options(sluice_options INTERFACE -Wshadow-uncaptured-local -Wno-gnu-zero-variadic-macro-arguments)
    endif()
    if(SLUICE_WERROR)
        target_compile_options(sluice_options INTERFACE -Werror)
    endif()
    if(SLUICE_SANITIZE)
        target_compile_options(sluice_options INTERFACE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(sluice_options INTERFACE -fsanitize=address,undefined)
    endif()
elseif(MSVC)
    target_compile_options(sluice_options INTERFACE /W4 /permissive- /utf-8)
    if(SLUICE_WERROR)
        target_compile_options(sluice_options INTERFACE /WX)
    endif()
endif()
