// Checkpoints: a training state survives the file bit for bit, refusals name the file, and the
// writer observer stores what the trainer hands it. (Atomic replacement: formats tests.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/checkpoint.hpp"
#include "rbmkit/io/model_file.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using ::testing::HasSubstr;
using test::error_of;

class Checkpoints : public test::TempDirTest {};

TrainState sample_state() {
  TrainState s;
  s.model = make_model(6, 3, 0.5f, 11, true);
  s.model.a = Vector::LinSpaced(6, -1.0f, 1.0f);
  s.model.b = Vector::LinSpaced(3, 0.25f, 0.75f);
  s.model.hidden_units = UnitType::Ternary;
  s.update = 123;
  s.examples_seen = 4567;
  s.seconds = 8.25;
  s.arrays["sgd.velocity_W"] = Matrix::Constant(6, 3, 0.125f);
  s.arrays["pcd.chains"] = (Matrix(2, 6) << 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1).finished();
  return s;
}

TEST_F(Checkpoints, StateRoundTripsExactly) {
  const TrainState s = sample_state();
  save_checkpoint(path("c.npz"), s, {{"settings", {{"hidden", 3}}}});
  const LoadedCheckpoint c = load_checkpoint(path("c.npz"));
  EXPECT_EQ(c.state.update, 123u);
  EXPECT_EQ(c.state.examples_seen, 4567u);
  EXPECT_EQ(c.state.seconds, 8.25);
  EXPECT_EQ(c.state.model.W, s.model.W);
  EXPECT_EQ(c.state.model.a, s.model.a);
  EXPECT_EQ(c.state.model.b, s.model.b);
  EXPECT_EQ(c.state.model.hidden_units, UnitType::Ternary);
  ASSERT_EQ(c.state.arrays.size(), 2u);
  EXPECT_EQ(c.state.arrays.at("sgd.velocity_W"), s.arrays.at("sgd.velocity_W"));
  EXPECT_EQ(c.state.arrays.at("pcd.chains"), s.arrays.at("pcd.chains"));
  EXPECT_EQ(c.meta["settings"]["hidden"], 3);
  EXPECT_EQ(c.meta["progress"]["update"], 123);
  // A checkpoint is a model file too.
  EXPECT_EQ(load_model(path("c.npz")).model.W, s.model.W);
}

TEST_F(Checkpoints, AModelFileIsNotACheckpoint) {
  const TrainState s = sample_state();
  save_model(path("m.npz"), s.model, {});
  EXPECT_THAT(error_of<FormatError>([&] { load_checkpoint(path("m.npz")); }),
              HasSubstr(path("m.npz") + ": not a checkpoint"));
  EXPECT_THROW(load_checkpoint(path("missing.npz")), IoError);
}

TEST_F(Checkpoints, StateMembersMustBeMatrices) {
  const TrainState s = sample_state();
  const float v[3] = {1, 2, 3};
  save_model(path("bad.npz"), s.model, {{"progress", {{"update", 1}, {"examples_seen", 1}, {"seconds", 0.0}}}},
             {{"state.pcd.chains", npy_float32({3}, v)}});
  EXPECT_THAT(error_of<FormatError>([&] { load_checkpoint(path("bad.npz")); }), HasSubstr("is not 2-D"));
}

TEST_F(Checkpoints, TheWriterObserverStoresWhatTheTrainerHandsIt) {
  CheckpointWriter writer(path("w.npz"), {{"settings", {{"seed", 4}}}});
  TrainObserver& observer = writer;
  observer.on_checkpoint(sample_state());
  const LoadedCheckpoint c = load_checkpoint(path("w.npz"));
  EXPECT_EQ(c.state.update, 123u);
  EXPECT_EQ(c.meta["settings"]["seed"], 4);
}

}  // namespace
}  // namespace rbmkit
