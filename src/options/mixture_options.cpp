#include "rbmkit/options/mixture_options.hpp"

#include <cmath>

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;

// --top N: 0 in the struct (all components) is null here, so that N >= 1 when given.
Option<MixtureSettings> top_option() {
  Option<MixtureSettings> o{{"top", "number of components shown", K::Integer, "show only the N heaviest components",
                             R::Output, NumberRange{1, HUGE_VAL}, {}, {}, "", "N", "all"},
                            {},
                            {}};
  o.nullable = true;
  o.get = [](const MixtureSettings& s) { return s.top ? nlohmann::json(s.top) : nlohmann::json(nullptr); };
  o.put = [](MixtureSettings& s, const nlohmann::json& v) { s.top = v.is_null() ? 0 : v.get<std::uint64_t>(); };
  return o;
}

OptionTable<MixtureSettings> make_mixture_options() {
  using S = MixtureSettings;
  return {
      field<S>({"MODEL", "model or experts file", K::Text,
                "model.npz with Gaussian visible units, or an experts file: JSON {\"means\": (H, K, D), \"weights\": "
                "(H, K)} or .npz with members means and weights",
                R::Output, {}, {}, {}, "source", "", "", true, true},
               &S::source),
      top_option(),
  };
}

OptionTable<FetchSettings> make_fetch_options() {
  using S = FetchSettings;
  return {
      field<S>({"NAME", "data set", K::Choice, "data set name", R::Output, {}, {"mnist"}, {}, "name", "", "", true, true},
               &S::name),
      optional_text<S>({"dir", "cache directory", K::Text, "cache directory", R::Output, {}, {}, {}, "", "DIR",
                        "$RBMKIT_DATA, else $XDG_CACHE_HOME/rbmkit, else ~/.cache/rbmkit"},
                       &S::dir),
      optional_text<S>({"from", "source folder", K::Text,
                        "take the files from this local folder (plain or .gz) instead of the npm registry", R::Output,
                        {}, {}, {}, "", "DIR"},
                       &S::from),
  };
}

}  // namespace

const OptionTable<MixtureSettings>& mixture_options() {
  static const OptionTable<MixtureSettings> table = make_mixture_options();
  return table;
}

const OptionTable<FetchSettings>& fetch_options() {
  static const OptionTable<FetchSettings> table = make_fetch_options();
  return table;
}

}  // namespace rbmkit
