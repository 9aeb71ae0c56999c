// `ksynth verify`: proves or refutes a candidate against a spec.
#pragma once

#include "solver/SolverConfig.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "verify/core/Verdict.h"
#include "verify/core/VerifyOptions.h"

namespace ksynth::verify {

// Never throws for verification outcomes; throws UserError when the
// candidate does not compile or its launches do not match its kernels.
Verdict verify(const spec::Spec &s, const spec::Manifest &m,
               const VerifyOptions &opts);

} // namespace ksynth::verify
