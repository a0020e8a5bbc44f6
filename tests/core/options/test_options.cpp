// The option tables: every command's defaults are valid, ranges are enforced with messages that
// name the parameter, values read back as written, the general defaults are TrainConfig{} and a
// preset changes only what it lists, and resuming checks the stored settings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "rbmkit/error.hpp"
#include "rbmkit/options/eval_options.hpp"
#include "rbmkit/options/mixture_options.hpp"
#include "rbmkit/options/sample_options.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "rbmkit/training/trainer.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::error_of;

// Checks that hold for every table: defaults valid, names, labels, help and Python keywords
// present and unique, and each option's current value reads back through put().
template <class S>
void check_table(const OptionTable<S>& table) {
  const S defaults{};
  std::set<std::string> names, keywords;
  for (const Option<S>& o : table) {
    SCOPED_TRACE(o.name);
    EXPECT_TRUE(names.insert(o.name).second) << "duplicate option";
    for (const auto& a : o.aliases) EXPECT_TRUE(names.insert(a).second) << "duplicate alias " << a;
    EXPECT_TRUE(keywords.insert(o.python_keyword()).second) << "duplicate keyword " << o.python_keyword();
    EXPECT_FALSE(o.label.empty());
    EXPECT_FALSE(o.help.empty());
    if (o.kind == OptionKind::Choice) {
      EXPECT_FALSE(o.choices.empty());
    }
    if (!o.required) {  // required options have no default
      EXPECT_NO_THROW(o.check(o.get(defaults)));
    }
    S copy = defaults;
    o.put(copy, o.get(defaults));
    EXPECT_EQ(o.get(copy), o.get(defaults));
  }
}

TEST(OptionTables, EveryTableIsWellFormedWithValidDefaults) {
  check_table(sgd_options());
  check_table(train_config_options());
  check_table(train_options());
  check_table(eval_options());
  check_table(sample_options());
  check_table(show_options());
  check_table(mixture_options());
  check_table(fetch_options());
}

TEST(OptionTables, RangesAreEnforcedWithTheParameterNamed) {
  const auto& lr = find_option(train_options(), "lr");
  try {
    lr.parse("-1");
    FAIL() << "no exception";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.parameter, "lr");
    EXPECT_STREQ(e.what(), "learning rate must be a number > 0 (got -1)");
  }
  EXPECT_EQ(lr.parse("0.25"), 0.25);
  EXPECT_THAT(error_of<ParameterError>([&] { lr.parse("abc"); }), HasSubstr("(got 'abc')"));
  EXPECT_THAT(error_of<ParameterError>([&] { lr.parse("inf"); }), HasSubstr("learning rate must be"));

  const auto& momentum = find_option(train_options(), "momentum");
  EXPECT_EQ(momentum.parse("0"), 0.0);                   // closed at 0
  EXPECT_THROW(momentum.parse("1"), ParameterError);     // open at 1
  EXPECT_THAT(error_of<ParameterError>([&] { momentum.parse("1.5"); }), HasSubstr("in [0, 1)"));

  const auto& cd = find_option(train_options(), "cd");
  EXPECT_EQ(cd.parse("1"), 1u);
  EXPECT_EQ(cd.parse("100000"), 100000u);
  for (const char* bad : {"0", "100001", "-3", "2.5", "", "3x"}) EXPECT_THROW(cd.parse(bad), ParameterError) << bad;

  const auto& method = find_option(train_options(), "method");
  EXPECT_EQ(method.parse("pt"), "pt");
  EXPECT_THAT(error_of<ParameterError>([&] { method.parse("pdc"); }),
              HasSubstr("gradient estimator must be cd, pcd or pt (got 'pdc')"));
  const auto& visible_bias = find_option(train_options(), "visible-bias");
  EXPECT_EQ(visible_bias.parse("true"), "on");
  EXPECT_EQ(visible_bias.parse("0"), "off");
  EXPECT_THROW(visible_bias.parse("maybe"), ParameterError);
  // Only the supported unit types of each layer are choices.
  EXPECT_THROW(find_option(train_options(), "visible-units").parse("ternary"), ParameterError);
  EXPECT_THROW(find_option(train_options(), "hidden-units").parse("gaussian"), ParameterError);
}

TEST(OptionTables, LibraryValidationUsesTheSameRanges) {
  TrainConfig c;
  c.sgd.momentum = 1.0f;
  EXPECT_THAT(error_of<ParameterError>([&] { validate(c); }), HasSubstr("momentum must be a number in [0, 1) (got 1)"));
  EXPECT_THAT(error_of<ParameterError>([&] { Sgd sgd(c.sgd); }), HasSubstr("momentum must be"));
  c = TrainConfig{};
  c.batch = 0;
  EXPECT_THAT(error_of<ParameterError>([&] { validate(c); }), HasSubstr("batch size must be"));
  c = TrainConfig{};
  c.epochs = 0;  // and no updates: the run has no length
  EXPECT_THAT(error_of<ParameterError>([&] { validate(c); }), HasSubstr("number of epochs must be"));
  c.updates = 5;
  EXPECT_NO_THROW(validate(c));
  EvalOptions e;
  e.betas = 2;
  EXPECT_THAT(error_of<ParameterError>([&] { check_options(e, eval_options()); }),
              HasSubstr("annealing schedule length must be an integer in [3, 100000000] (got 2)"));
}

TEST(OptionTables, TheGeneralDefaultsAreTheStructsAndThePresetOnlyOverrides) {
  const TrainSettings none = settings_for_preset("none");
  EXPECT_EQ(to_json(none), to_json(TrainSettings{}));
  const TrainSettings seed = settings_for_preset("seed");
  std::set<std::string> listed;
  for (const auto& p : presets())
    if (p.name == "seed")
      for (const auto& [name, value] : p.values) listed.insert(name);
  const nlohmann::json a = to_json(none), b = to_json(seed);
  for (const auto& [key, value] : a.items()) {
    if (key == "preset" || listed.count(key) || key == "epochs") continue;
    EXPECT_EQ(b[key], value) << key;
  }
  EXPECT_EQ(b["cd"], 3);
  EXPECT_EQ(b["batch"], 1);
  EXPECT_EQ(b["updates"], 100000);
  EXPECT_TRUE(b["epochs"].is_null());  // replaced by updates
  EXPECT_EQ(b["data"], "mnist:all:3");
  EXPECT_THAT(error_of<ParameterError>([] { settings_for_preset("nosuch"); }), HasSubstr("unknown preset 'nosuch'"));
}

TEST(OptionTables, ResolvedSettingsKeepThePresetUnlessAModelOptionIsGiven) {
  EXPECT_EQ(resolve_train_settings({}).preset, "seed");
  EXPECT_EQ(resolve_train_settings({{"threads", 1}, {"seed", 5}, {"updates", 10}}).preset, "seed");
  const TrainSettings s = resolve_train_settings({{"hidden", 7}, {"lr", 0.5}});
  EXPECT_EQ(s.preset, "none");
  EXPECT_EQ(s.config.hidden, 7u);
  EXPECT_FLOAT_EQ(s.config.sgd.learning_rate, 0.5f);
  EXPECT_EQ(s.config.batch, 100u);  // the general default
  EXPECT_EQ(resolve_train_settings({{"preset", "seed"}, {"hidden", 7}}).config.batch, 1u);
  EXPECT_THAT(error_of<ParameterError>([] { resolve_train_settings({{"updates", 10}, {"epochs", 2.0}}); }),
              HasSubstr("give one of them"));
  EXPECT_THROW(resolve_train_settings({{"hidden", 0}}), ParameterError);
}

TEST(OptionTables, RecordedSettingsResumeToTheSameSettings) {
  TrainSettings s = resolve_train_settings({{"hidden", 9}, {"method", "pt"}, {"lr", 0.05}, {"centring", "on"},
                                            {"epochs", 2.5}, {"heldout", "held.npy"}, {"threads", 2}});
  const nlohmann::json stored = to_json(s);
  const TrainSettings back = resume_train_settings(stored, {}, "ckpt");
  EXPECT_EQ(to_json(back), stored);
  // A Model option or the seed must agree; run-time knobs may change.
  EXPECT_THAT(error_of<ParameterError>([&] { resume_train_settings(stored, {{"hidden", 10}}, "ckpt"); }),
              AllOf(HasSubstr("number of hidden units 10 disagrees with the checkpoint's 9"), HasSubstr("ckpt")));
  EXPECT_THROW(resume_train_settings(stored, {{"seed", 1}}, "ckpt"), ParameterError);
  // Another thread count and a longer run are allowed (the workflow says what that changes).
  EXPECT_EQ(resume_train_settings(stored, {{"threads", 1}}, "ckpt").config.threads, 1);
  EXPECT_EQ(resume_train_settings(stored, {{"epochs", 5.0}}, "ckpt").config.epochs, 5.0);
  EXPECT_NO_THROW(resume_train_settings(stored, {{"hidden", 9}, {"report-every", 5}}, "ckpt"));
  EXPECT_EQ(resume_train_settings(stored, {{"report-every", 5}}, "ckpt").config.report_every, 5u);
  EXPECT_THROW(resume_train_settings(nlohmann::json::array(), {}, "ckpt"), FormatError);
  nlohmann::json bad = stored;
  bad["momentum"] = 2.0;
  EXPECT_THAT(error_of<FormatError>([&] { resume_train_settings(bad, {}, "ckpt"); }), HasSubstr("momentum"));
}

TEST(OptionTables, EvalChainsSetsBothEstimatorsAndLiftedOptionsReachTheirStruct) {
  EvalSettings s;
  apply_options(s, eval_command_options(), {{"chains", 250}, {"betas", 1000}, {"method", "both"}});
  EXPECT_EQ(s.eval.ais_chains, 250u);
  EXPECT_EQ(s.eval.raise_examples, 250u);
  EXPECT_EQ(s.eval.betas, 1000u);
  EXPECT_EQ(s.eval.method, EvalMethod::Both);
  apply_options(s, eval_command_options(), {{"raise-examples", 20}});
  EXPECT_EQ(s.eval.raise_examples, 20u);
  EXPECT_EQ(s.eval.ais_chains, 250u);
  MixtureSettings m;
  EXPECT_TRUE(find_option(mixture_options(), "top").get(m).is_null());  // all components
  EXPECT_THROW(find_option(mixture_options(), "top").parse("0"), ParameterError);
}

TEST(OptionTables, EnumerationsHaveOneNameTable) {
  for (const UnitType t : {UnitType::Bernoulli, UnitType::Ternary, UnitType::Gaussian})
    EXPECT_EQ(parse_enum<UnitType>(enum_name(t)), t);
  EXPECT_EQ(enum_choices<Schedule>(), (std::vector<std::string>{"constant", "linear", "exp"}));
  EXPECT_THAT(error_of<InvalidArgument>([] { parse_enum<Method>("pdc"); }),
              HasSubstr("unknown gradient estimator 'pdc' (expected cd, pcd or pt)"));
  EXPECT_EQ(choice_list({"a"}), "a");
  EXPECT_EQ(choice_list({"a", "b", "c"}), "a, b or c");
}

TEST(OptionTables, HelpShowsDefaultsAsTheyAreRead) {
  EXPECT_EQ(find_option(train_options(), "lr").shown_default(find_option(train_options(), "lr").get(TrainSettings{})), "0.1");
  EXPECT_EQ(find_option(train_options(), "updates").shown_default(nullptr), "none");
  EXPECT_EQ(find_option(eval_command_options(), "binarize").shown_default(""), "the model's, else auto");
  EXPECT_EQ(find_option(train_options(), "lr").python_keyword(), "learning_rate");
  EXPECT_EQ(find_option(train_options(), "weight-decay").python_keyword(), "weight_decay");
  EXPECT_EQ((NumberRange{0, 1, false, true}).text(), "in [0, 1)");
  EXPECT_EQ((NumberRange{1, HUGE_VAL, false, false}).text(), ">= 1");
}

}  // namespace
}  // namespace rbmkit
