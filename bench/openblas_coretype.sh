# Sourced by the benchmarks: OPENBLAS_CORETYPE for this CPU unless it is set. Debian's OpenBLAS
# 0.3.21 does not recognise recent Intel CPUs and falls back to its slowest kernel; naming a
# kernel the CPU lacks (COOPERLAKE on an AVX2-only CPU) would stop numpy with SIGILL.
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
  if [[ $flags == *" avx512_bf16"* ]]; then OPENBLAS_CORETYPE=COOPERLAKE
  elif [[ $flags == *" avx512f"* ]]; then OPENBLAS_CORETYPE=SKYLAKEX
  elif grep -q -m1 AuthenticAMD /proc/cpuinfo && [[ $flags == *" avx2"* ]]; then OPENBLAS_CORETYPE=ZEN
  elif [[ $flags == *" avx2"* ]]; then OPENBLAS_CORETYPE=HASWELL
  fi
fi
[[ -n "${OPENBLAS_CORETYPE:-}" ]] && export OPENBLAS_CORETYPE
