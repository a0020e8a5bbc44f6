# Sourced by the benchmarks: OPENBLAS_CORETYPE for this CPU's fastest OpenBLAS kernel, so that
# numpy, scikit-learn and PyTorch are measured at their best. Debian's OpenBLAS 0.3.21 does not
# recognise recent CPUs and falls back to a slow kernel; naming a kernel the CPU lacks
# (COOPERLAKE on an AVX2-only CPU) would stop numpy with SIGILL. A value inherited from the
# environment is replaced (a machine may preset a safe but slower one, such as Haswell on an
# AVX-512 CPU); BENCH_OPENBLAS_CORETYPE forces one.
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
if [[ -n "${BENCH_OPENBLAS_CORETYPE:-}" ]]; then OPENBLAS_CORETYPE=$BENCH_OPENBLAS_CORETYPE
elif [[ $flags == *" avx512_bf16"* ]]; then OPENBLAS_CORETYPE=COOPERLAKE
elif [[ $flags == *" avx512f"* ]]; then OPENBLAS_CORETYPE=SKYLAKEX
elif grep -q -m1 AuthenticAMD /proc/cpuinfo && [[ $flags == *" avx2"* ]]; then OPENBLAS_CORETYPE=ZEN
elif [[ $flags == *" avx2"* ]]; then OPENBLAS_CORETYPE=HASWELL
else unset OPENBLAS_CORETYPE
fi
[[ -n "${OPENBLAS_CORETYPE:-}" ]] && export OPENBLAS_CORETYPE
