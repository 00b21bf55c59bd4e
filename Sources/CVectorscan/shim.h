#ifndef STRATA_CVECTORSCAN_SHIM_H
#define STRATA_CVECTORSCAN_SHIM_H
#include <hs/hs.h>
#endif
