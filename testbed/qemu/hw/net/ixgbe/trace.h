#include "trace/trace-hw_net_ixgbe.h"
