/*
** The risk engine's kernel cache: one prepared kernel per pathway and drawn schedule, shared by
** the workers (src/risk/engine_int.h explains the publication protocol).
*/
#include <stdlib.h>
#include <string.h>

#include "risk/engine_int.h"

void wp_risk_cache_init(fast_cache *c)
{
  pthread_mutex_init(&c->lock, NULL);
  atomic_init(&c->count, 0);
}

void wp_risk_cache_release(fast_cache *c)
{
  for (size_t k = 0; k < CACHE_SLOTS; k++)
    wp_pathway_fast_free(c->slot[k].f);
  pthread_mutex_destroy(&c->lock);
}

size_t wp_risk_cache_count(const fast_cache *c)
{
  return atomic_load_explicit(&c->count, memory_order_acquire);
}

const fast_slot *wp_risk_cache_find(const fast_cache *c, size_t from, size_t to,
                                    const int64_t *key, size_t nkey)
{
  for (size_t k = from; k < to; k++) {
    const fast_slot *s = &c->slot[k];
    if ((nkey == 0 || s->key[0] == key[0]) && memcmp(s->key, key, nkey * sizeof *key) == 0)
      return s;
  }
  return NULL;
}

void wp_risk_cache_publish(fast_cache *c, size_t seen, const int64_t *key, size_t nkey,
                           wp_pathway_fast *f, int usable)
{
  pthread_mutex_lock(&c->lock);
  const size_t n = atomic_load_explicit(&c->count, memory_order_relaxed);
  if (n < CACHE_SLOTS && !wp_risk_cache_find(c, seen, n, key, nkey)) {
    fast_slot *ns = &c->slot[n];
    memcpy(ns->key, key, nkey * sizeof *key);
    ns->f = f;
    ns->usable = usable;
    f = NULL;
    atomic_store_explicit(&c->count, n + 1, memory_order_release);
  }
  pthread_mutex_unlock(&c->lock);
  wp_pathway_fast_free(f); /* not published: another worker's copy serves */
}
