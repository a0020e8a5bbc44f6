// How the library speaks while it works: it writes nothing to stdout or stderr itself, and hands
// progress and notes to a front end's callback instead (the CLI prints them on stderr, Python on
// sys.stdout). A null callback means silence.
#pragma once

#include <functional>
#include <string>

namespace rbmkit {

using MessageSink = std::function<void(const std::string&)>;

// Progress of a long computation: its stage ("AIS", "RAISE") and the fraction done, in [0, 1].
// Called from one thread at a time, at most about a hundred times per stage.
using ProgressSink = std::function<void(const std::string& stage, double fraction)>;

// Calls `sink` with `text` when there is a sink.
inline void tell(const MessageSink& sink, const std::string& text) {
  if (sink) sink(text);
}

}  // namespace rbmkit
