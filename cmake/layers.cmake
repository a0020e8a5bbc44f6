# rbmkit_layer(NAME [DEPENDS LAYER...]): the static library rbmkit_NAME from src/NAME/*.cpp.
#
# Its sources see only a view of the public headers, build/layer-views/NAME/rbmkit/, holding
# links to include/rbmkit/NAME, to every layer below it (DEPENDS, transitively) and to the
# header-only base (error.hpp, messages.hpp); private headers sit beside the sources in src/NAME.
# An include of a higher layer's header is then "no such file" at compile time. Consumers above
# the library layers (front ends, tests) use the whole include/ tree through rbmkit_library.
function(rbmkit_layer name)
  cmake_parse_arguments(LAYER "" "" "DEPENDS" ${ARGN})
  set(below "")
  foreach(dep ${LAYER_DEPENDS})
    get_property(dep_below GLOBAL PROPERTY RBMKIT_LAYER_BELOW_${dep})
    list(APPEND below ${dep} ${dep_below})
  endforeach()
  list(REMOVE_DUPLICATES below)
  set_property(GLOBAL PROPERTY RBMKIT_LAYER_BELOW_${name} ${below})

  set(view ${CMAKE_BINARY_DIR}/layer-views/${name})
  file(REMOVE_RECURSE ${view})
  file(MAKE_DIRECTORY ${view}/rbmkit)
  foreach(visible ${name} ${below})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/rbmkit/${visible} ${view}/rbmkit/${visible} SYMBOLIC)
  endforeach()
  file(GLOB base_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/rbmkit/*.hpp)
  foreach(header ${base_headers})
    get_filename_component(header_name ${header} NAME)
    file(CREATE_LINK ${header} ${view}/rbmkit/${header_name} SYMBOLIC)
  endforeach()

  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(rbmkit_${name} STATIC ${sources})
  target_include_directories(rbmkit_${name} PRIVATE ${view} ${PROJECT_SOURCE_DIR}/src/${name})
  target_compile_options(rbmkit_${name} PRIVATE ${RBMKIT_WARNINGS} PUBLIC ${RBMKIT_ARCH})
  foreach(dep ${LAYER_DEPENDS})
    target_link_libraries(rbmkit_${name} PUBLIC rbmkit_${dep})
  endforeach()
endfunction()
