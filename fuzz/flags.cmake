# Included by the top CMakeLists.txt when RBMKIT_FUZZ is on: the whole build (the layer libraries
# the fuzz targets link, and the targets) gets coverage for libFuzzer plus ASan and UBSan, every
# UBSan report fatal, -O1 for speed with usable stacks.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "RBMKIT_FUZZ needs clang++ (libFuzzer); configure with CXX=clang++ "
                      "(found ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER})")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g -O1)
add_link_options(-fsanitize=address,undefined)
