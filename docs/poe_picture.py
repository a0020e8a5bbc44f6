#!/usr/bin/python3
"""Draws docs/poe-2d.png: a product of two Gaussian-mixture experts in 2-D (K = 2 components
each, identity covariance) as the mixture of four Gaussians it is (docs/exercise.md part 2(c);
Hinton 2002, products of experts).

    /usr/bin/python3 docs/poe_picture.py [RBMKIT_BINARY]

The binary is the argument, else $RBMKIT_BIN, else build/rbmkit. The script runs
`rbmkit mixture docs/poe-2d.json --json` and draws from its output alone: each expert's two
means u_{i,k} (circles for expert 1, triangles for expert 2) with their unit-covariance circles
(radius 1), the four product centres m_(k1,k2) = (u_{1,k1} + u_{2,k2}) / 2 labelled with their
weights w_k, and contours of the product density p(x) = sum_k w_k N(x; m_k, I/2).
Needs numpy and matplotlib (Debian: python3-numpy, python3-matplotlib; `scripts/setup --docs` installs them).
"""
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DOCS = os.path.dirname(os.path.abspath(__file__))
EXPERTS = os.path.join(DOCS, "poe-2d.json")
OUT = os.path.join(DOCS, "poe-2d.png")
EXPERT_STYLE = [("o", "tab:blue"), ("^", "tab:orange")]


def mixture(binary):
    """The JSON object `rbmkit mixture EXPERTS --json` prints."""
    p = subprocess.run([binary, "mixture", EXPERTS, "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"poe_picture: {binary} mixture failed (exit {p.returncode}): {p.stderr.strip()}")
    j = json.loads(p.stdout)
    shape = (j.get("kind"), j.get("n_experts"), j.get("components_per_expert"), j.get("dim"))
    if shape != ("product_of_experts", 2, 2, 2):
        sys.exit(f"poe_picture: {EXPERTS} must hold 2 experts of 2 components in 2-D; got {shape}")
    return j


def density(j, X, Y):
    """p(x) = sum_k w_k N(x; m_k, variance I) on the grid (X, Y)."""
    var = j["variance"]
    p = np.zeros_like(X)
    for c in j["components"]:
        mx, my = c["centre"]
        p += c["weight"] * np.exp(-((X - mx) ** 2 + (Y - my) ** 2) / (2 * var)) / (2 * np.pi * var)
    return p


def draw(j, out):
    means = np.array(j["means"])  # (H, K, D)
    lo, hi = means.reshape(-1, 2).min(axis=0) - 1.8, means.reshape(-1, 2).max(axis=0) + 1.8
    X, Y = np.meshgrid(np.linspace(lo[0], hi[0], 400), np.linspace(lo[1], hi[1], 400))
    p = density(j, X, Y)

    fig, ax = plt.subplots(figsize=(7, 6), dpi=100)
    levels = p.max() * np.array([0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.9, 1.0])
    ax.contourf(X, Y, p, levels=levels, cmap="Greys", alpha=0.55)
    ax.contour(X, Y, p, levels=levels[:-1], colors="0.35", linewidths=0.6)

    theta = np.linspace(0, 2 * np.pi, 200)
    for i, (marker, colour) in enumerate(EXPERT_STYLE):
        for k, u in enumerate(means[i]):
            ax.plot(u[0] + np.cos(theta), u[1] + np.sin(theta), color=colour, lw=1, ls="--")
            ax.plot(*u, marker=marker, color=colour, ms=10, ls="none",
                    label=f"expert {i + 1}: means $u_{{{i + 1},k}}$, unit circles" if k == 0 else None)
            ax.annotate(f"$u_{{{i + 1},{k + 1}}}$  $\\pi$ = {j['weights'][i][k]:g}", u, xytext=(9, -15),
                        textcoords="offset points", color=colour, fontsize=9)

    for n, c in enumerate(j["components"]):
        k1, k2 = (k + 1 for k in c["k"])
        ax.plot(*c["centre"], marker="x", color="black", ms=9, mew=2, ls="none",
                label="product centres $m_k = (u_{1,k_1} + u_{2,k_2})\\,/\\,2$" if n == 0 else None)
        ax.annotate(f"$m_{{({k1},{k2})}}$  w = {c['weight']:.2f}", c["centre"], xytext=(7, 6),
                    textcoords="offset points", fontsize=9)

    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_title("Two 2-component experts multiplied: a mixture of 4 Gaussians of covariance I/2", fontsize=11)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    fig.text(0.5, 0.01, f"shaded: the product density p(x), log normaliser {j['log_normaliser']:.3f} (rbmkit mixture docs/poe-2d.json)",
             ha="center", fontsize=8, color="0.3")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(out, dpi=100)
    plt.close(fig)
    # A 64-colour palette keeps the file small (matplotlib depends on Pillow).
    from PIL import Image
    with Image.open(out) as im:
        small = im.convert("RGB").quantize(colors=64)
    small.save(out, optimize=True)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RBMKIT_BIN") or os.path.join(DOCS, "..", "build", "rbmkit")
    draw(mixture(binary), OUT)
    print(f"poe_picture: {OUT}")


if __name__ == "__main__":
    main()
