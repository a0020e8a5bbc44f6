// Training on data in memory (workflows/fit_run.hpp): the settings it accepts, the history it
// keeps, and the meta it records.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rbmkit/error.hpp"
#include "rbmkit/workflows/fit_run.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using testing::HasSubstr;

TEST(FitRun, AcceptsTheTrainingLoopsOptionsOnly) {
  EXPECT_EQ(resolve_fit_settings({{"hidden", 7}, {"lr", 0.5}}).config.hidden, 7u);
  EXPECT_EQ(resolve_fit_settings({}).data, "");  // no data spec unless one is given
  for (const char* name : {"out", "checkpoint-every", "eval-every", "resume", "init", "heldout", "tile"}) {
    const auto& o = train_option(name);
    nlohmann::json value = o.kind == OptionKind::Integer ? nlohmann::json(1) : nlohmann::json("x");
    EXPECT_THAT(test::error_of<ParameterError>([&] { resolve_fit_settings({{name, value}}); }),
                HasSubstr("is not a setting of training on data in memory"))
        << name;
  }
  EXPECT_THROW(resolve_fit_settings({{"updates", 5}, {"epochs", 2.0}}), ParameterError);
  EXPECT_THROW(resolve_fit_settings({{"standardize", "on"}}), ParameterError);
}

TEST(FitRun, KeepsTheReportsAndRecordsNoDataSpecForArrays) {
  const Dataset data = test::dataset_from(test::bars_and_stripes(3), 9);
  const Fit fit_result = fit({{"hidden", 4}, {"updates", 40}, {"report-every", 10}, {"seed", 2}}, &data, {});
  ASSERT_EQ(fit_result.history.size(), 4u);
  EXPECT_EQ(fit_result.history.back()["update"], 40);
  EXPECT_EQ(fit_result.state.update, 40u);
  EXPECT_TRUE(fit_result.meta["settings"]["data"].is_null());
  EXPECT_EQ(fit_result.meta["settings"]["binarize"], "none");
  EXPECT_EQ(fit_result.meta["n_examples"], 14);
  EXPECT_THROW(fit({{"data", "x.npy"}}, &data, {}), ParameterError);
  EXPECT_THROW(fit({}, nullptr, {}), ParameterError);
}

}  // namespace
}  // namespace rbmkit
