"""The library's option tables, seen from the estimators.

Every training keyword of rbmkit.RBM and the rbmkit options of rbmkit.BernoulliRBM are an option
of the library's table (the one `rbmkit train --help` shows): its name, default, range, choices
and help text come from there, and so do the scikit-learn parameter constraints and the
parameter docs built here.
"""
from numbers import Integral, Real

from . import _rbmkit

TRAIN_OPTIONS = {o["keyword"]: o for o in _rbmkit.train_options()}


def constraints(keyword, option=None):
    """The scikit-learn parameter constraints of a table option (sklearn.utils._param_validation)."""
    from sklearn.utils._param_validation import Interval, StrOptions

    o = option or TRAIN_OPTIONS[keyword]
    out = []
    if o["kind"] in ("integer", "real"):
        r = o["range"] or {"min": float("-inf"), "max": float("inf"), "min_open": False, "max_open": False}
        lo = None if r["min"] == float("-inf") else r["min"]
        hi = None if r["max"] == float("inf") else r["max"]
        closed = {(False, False): "both", (True, False): "right", (False, True): "left", (True, True): "neither"}
        closed = closed[(r["min_open"] or lo is None, r["max_open"] or hi is None)]
        if o["kind"] == "integer":
            out.append(Interval(Integral, None if lo is None else int(lo), None if hi is None else int(hi), closed=closed))
        else:
            out.append(Interval(Real, lo, hi, closed=closed))
    elif o["kind"] == "switch":
        out.append("boolean")
    elif o["kind"] == "choice":
        out.append(StrOptions(set(o["choices"])))
    else:
        out.append(str)
    if o["nullable"]:
        out.append(None)
    return out


def _type_text(o):
    if o["kind"] == "integer":
        return "int"
    if o["kind"] == "real":
        return "float"
    if o["kind"] == "switch":
        return "bool"
    if o["kind"] == "choice":
        return "{" + ", ".join(repr(c) for c in o["choices"]) + "}"
    return "str"


def parameter_doc(keyword, default=None, text=None, type_text=None):
    """One numpydoc entry: 'keyword : type, default=...' and the table's help (or `text`)."""
    o = TRAIN_OPTIONS.get(keyword)
    kind = type_text or (_type_text(o) if o else "object")
    help_text = text or (o["help"] if o else "")
    if o and o["range"] and o["range"]["text"] and not text:
        help_text += " (" + o["range"]["text"] + ")"
    return f"{keyword} : {kind}, default={default!r}\n    {help_text[0].upper() + help_text[1:] if help_text else ''}."


def parameter_docs(params, texts=None):
    """The numpydoc 'Parameters' section of an estimator whose parameters (name -> default) are
    table options except those given in `texts` (name -> (type, help))."""
    texts = texts or {}
    lines = []
    for name, default in params.items():
        if name in texts:
            type_text, help_text = texts[name]
            lines.append(parameter_doc(name, default, help_text, type_text))
        else:
            lines.append(parameter_doc(name, default))
    return "\n\n".join(lines)
