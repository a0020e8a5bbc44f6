// rbmkit show: redraw a model's weight mosaic.
#include <iostream>

#include "commands.hpp"
#include "pictures.hpp"
#include "rbmkit/io/model_file.hpp"

namespace rbmkit::cli {
namespace {

struct ShowArgs {
  std::string model;
  std::string out;
  std::string tile;
};

}  // namespace

Command add_show(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "draw a model's weights as a mosaic (one tile per hidden unit)");
  cmd->add_option("MODEL", args->model, "model.npz written by rbmkit train")->required();
  cmd->add_option("--out", args->out, "PNG file to write")->required();
  cmd->add_option("--tile", args->tile, "tile shape WxH [default: the training data's image shape, else square]");
  return {cmd, [args] {
            const LoadedModel loaded = load_model(args->model);
            write_weights_png(args->out, loaded.model, model_tile(args->tile, loaded));
            std::cout << "weights: " << args->out << "\n";
          }};
}

}  // namespace rbmkit::cli
