/* A C program using a flow-compile library through its generated header
 * (test/AOT/cpu-library.mlir). */
#include "libsmall.h"

#include <stdio.h>

int main(void) {
  const float x[4] = {1, 2, 3, 4}, w[4] = {1, 1, 1, 1};
  float *y = NULL;
  int64_t shape[4];
  /* Static arguments: the shape pointers may be NULL. */
  int rc = small_stride1(x, NULL, w, NULL, &y, shape);
  printf("stride1 rc=%d shape=(%lld, %lld, %lld, %lld)\n", rc,
         (long long)shape[0], (long long)shape[1], (long long)shape[2],
         (long long)shape[3]);
  for (int i = 0; i < 9; ++i)
    printf("%g%s", y[i], i % 3 == 2 ? "\n" : " ");
  small_free(y);

  /* Dynamic batch and spatial dims: 2 images of 1x3. */
  const float xd[6] = {1, 2, 3, 10, 20, 30};
  const int64_t xshape[4] = {2, 1, 1, 3};
  rc = small_dyn(xd, xshape, w, NULL, &y, shape);
  printf("dyn rc=%d shape=(%lld, %lld, %lld, %lld) y[1][0][0]=%g %g %g %g\n",
         rc, (long long)shape[0], (long long)shape[1], (long long)shape[2],
         (long long)shape[3], y[8], y[9], y[10], y[11]);
  small_free(y);

  /* A wrong shape: an error code and a message, nothing allocated. */
  const int64_t bad[4] = {1, 2, 2, 2};
  y = (float *)1;
  rc = small_stride1(x, bad, w, NULL, &y, shape);
  printf("bad rc=%d y=%p error=%s\n", rc, (void *)y, small_last_error());
  printf("device_check=%d\n", small_device_check());
  return 0;
}
