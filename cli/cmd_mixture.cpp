// rbmkit mixture: a Gaussian-visible RBM or a product of Gaussian-mixture experts written out as
// the mixture of Gaussians it is (workflows/mixture_view.hpp; docs/exercise.md part 2(c)).
#include <iostream>

#include "commands.hpp"
#include "flags.hpp"
#include "mixture_text.hpp"
#include "rbmkit/workflows/mixture_view.hpp"

namespace rbmkit::cli {

Command add_mixture(CLI::App& app) {
  auto given = std::make_shared<GivenText>();
  auto outputs = std::make_shared<Outputs>();
  CLI::App* cmd = app.add_subcommand(
      "mixture", "write a Gaussian-visible RBM or a product of Gaussian-mixture experts as its mixture of Gaussians");
  add_flags(cmd, mixture_options(), given, MixtureSettings{});
  add_output_flags(cmd, outputs);
  return {cmd, [given, outputs] {
            const MixtureSettings s = settings_from(mixture_options(), *given);
            const MixtureView view = mixture_view(s);
            if (outputs->json)
              std::cout << to_json(view).dump() << std::endl;
            else
              print_mixture_text(view);
          }};
}

}  // namespace rbmkit::cli
