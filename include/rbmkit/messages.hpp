// How the library speaks while it works: it writes nothing to stdout or stderr itself, and hands
// progress and notes to a front end's callback instead (the CLI prints them on stderr, Python on
// sys.stdout). A null callback means silence.
#pragma once

#include <functional>
#include <string>

namespace rbmkit {

using MessageSink = std::function<void(const std::string&)>;

// Calls `sink` with `text` when there is a sink.
inline void tell(const MessageSink& sink, const std::string& text) {
  if (sink) sink(text);
}

}  // namespace rbmkit
