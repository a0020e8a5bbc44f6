# rbmkit_precompile(TARGET [HEADER...]): TARGET's sources are compiled against one precompiled
# header holding the standard and third-party headers that most of them include, plus HEADER...
# Used by the front ends and the tests, whose sources each parse Eigen, nlohmann-json and one of
# CLI11, GoogleTest or pybind11 (header-only libraries, several seconds of parsing per source);
# precompiled, a source compiles in 20-30% less time. Not used by the layers: there GCC 12 then
# reports -Wstringop-overflow and -Warray-bounds inside libstdc++'s std::string (a precompiled
# header loses the system-header status that silences them), and their sources parse less.
# Only system headers go in, and every source still includes what it uses.
option(RBMKIT_PCH "Precompile the common third-party headers once per target" ON)
set(RBMKIT_PCH_HEADERS <algorithm> <cmath> <cstdint> <functional> <memory> <optional> <string>
                       <vector> <nlohmann/json.hpp>)
function(rbmkit_precompile target)
  if(RBMKIT_PCH)
    target_precompile_headers(${target} PRIVATE ${RBMKIT_PCH_HEADERS} ${ARGN})
  endif()
endfunction()
