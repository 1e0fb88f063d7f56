/*
 * header_check.c: include/lambdasim.h compiles cleanly as C11 and C++17
 * (-Wall -Wextra -Werror -pedantic), twice in one unit (include guard), and
 * its structs have the sizes the library checks in struct_size.
 */
#include "lambdasim.h"
#include "lambdasim.h"

#include <stdio.h>

#ifdef __cplusplus
#define LSIM_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define LSIM_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

LSIM_STATIC_ASSERT(sizeof(lsim_status) == 4, "lsim_status is a uint32_t");
LSIM_STATIC_ASSERT(sizeof(lsim_function) == 12, "lsim_function is index, generation, region_tag");
LSIM_STATIC_ASSERT(sizeof(lsim_env) == 12, "lsim_env is index, generation, region_tag");
LSIM_STATIC_ASSERT(sizeof(lsim_invocation) == 16, "lsim_invocation is env + seq");
LSIM_STATIC_ASSERT(sizeof(((lsim_stats *)0)->throttles) == LSIM_THROTTLE_REASON_COUNT * sizeof(uint64_t),
                   "one throttle counter per reason");
LSIM_STATIC_ASSERT(LSIM_ABI_VERSION == 4, "this header is ABI version 4");
LSIM_STATIC_ASSERT(sizeof(((lsim_sim_summary *)0)->throttles_by_reason) == LSIM_THROTTLE_REASON_COUNT * sizeof(uint64_t),
                   "one throttle count per reason");
/* The layouts Go and Node (koffi) read: eight uint32_t, the double, four uint32_t. */
LSIM_STATIC_ASSERT(sizeof(lsim_alarm_config) == 56, "lsim_alarm_config");
LSIM_STATIC_ASSERT(sizeof(lsim_alarm_transition) == 16, "lsim_alarm_transition is time_us, from, to");
#if UINTPTR_MAX == UINT64_MAX && defined(__x86_64__)
/* The sizes Rust (ffi/src/tests_sim.rs), Go and Node (koffi) lay out on x86_64. */
LSIM_STATIC_ASSERT(sizeof(lsim_run_options) == 48, "lsim_run_options");
LSIM_STATIC_ASSERT(sizeof(lsim_sim_summary) == 208, "lsim_sim_summary");
LSIM_STATIC_ASSERT(sizeof(lsim_minute_point) == 88, "lsim_minute_point");
LSIM_STATIC_ASSERT(sizeof(lsim_invoke_result) == 72, "lsim_invoke_result");
LSIM_STATIC_ASSERT(sizeof(lsim_finish_result) == 40, "lsim_finish_result");
#endif

int main(void) {
    lsim_region_config rc;
    lsim_function_config fc;
    if (lsim_abi_version() != LSIM_ABI_VERSION) return 1;
    if (lsim_region_config_default(&rc) != LSIM_STATUS_OK || rc.struct_size != sizeof rc) return 1;
    if (lsim_function_config_default(&fc) != LSIM_STATUS_OK || fc.struct_size != sizeof fc) return 1;
    printf("header ok: lambdasim %s, sizeof(lsim_region_config) = %u, sizeof(lsim_function_config) = %u\n",
           lsim_version(), (unsigned)sizeof rc, (unsigned)sizeof fc);
    return 0;
}
