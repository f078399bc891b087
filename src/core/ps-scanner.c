/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner: a thread that passes over a source's pages, its budget, the
 * frames it hands to the main context. One pass is in ps-scanner-pass.c. */
#define G_LOG_DOMAIN "pagescope-scanner"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ps-budget.h"
#include "ps-guard.h"
#include "ps-proc.h"
#include "ps-scanner-internal.h"

G_DEFINE_FINAL_TYPE (PsScanner, ps_scanner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRAME,
  PROP_PAUSED,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the thread -------------------------------------------------------- */

/* The pages outside the focus that one pass may hash within its share of
 * one interval. */
static guint64
slice_for (PsScanner *self,
           guint      interval,
           double     share)
{
  guint64 slice = MIN_SLICE_PAGES;

  if (self->bytes_per_us > 0)
    slice = (guint64) (self->bytes_per_us * interval * 1000.0 * share) / ps_source_get_geometry (self->source)->page_size;
  return MAX (slice, MIN_SLICE_PAGES);
}

/* After a pass: the interval, stretched if even the smallest pass costs
 * more than the share, and how long a sweep of every page takes. TRUE if
 * the budget holds the scanner back. */
static gboolean
pace (PsScanner *self,
      PsFrame   *frame,
      gint64     pass_cpu_us,
      guint      interval,
      guint64    slice)
{
  guint64 outside = frame->n_pages - MIN (frame->n_pages, (self->cur_focus_length + frame->geometry.page_size - 1) /
                                                            frame->geometry.page_size);
  guint64 passes = MAX (1, (outside + slice - 1) / slice);

  self->effective_interval_ms = MAX (interval, (guint) (pass_cpu_us / 1000.0 / self->share));
  frame->interval_ms = self->effective_interval_ms;
  frame->sweep_ms = (guint) MIN ((guint64) G_MAXUINT, passes * self->effective_interval_ms);
  if (passes == 1 && self->effective_interval_ms == interval)
    return FALSE;
  frame->flags |= PS_FRAME_BUDGET_LIMITED;
  return TRUE;
}

/* What is watched comes first: when the cores are busy the scanner yields
 * to the programs doing the work (and to the window), within its budget
 * when they are not. On Linux a thread's nice value is its own:
 * setpriority on a thread id leaves the rest of the process alone. */
static void
yield_to_others (void)
{
  pid_t tid = gettid ();
  int nice;

  errno = 0;
  nice = getpriority (PRIO_PROCESS, tid);
  if (errno == 0)
    setpriority (PRIO_PROCESS, tid, MIN (nice + SCANNER_NICE, 19));
}

static gpointer
scanner_thread (gpointer data)
{
  PsScanner *self = data;
  gint64 next = g_get_monotonic_time ();
  gboolean shared;

  yield_to_others ();

  self->cpu_mark_us = ps_scanner_thread_cpu_us ();
  self->wall_mark_us = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  shared = self->fixed_share <= 0;
  self->share = shared ? ps_budget_get_fraction (self->budget) : self->fixed_share;
  g_mutex_unlock (&self->lock);
  if (shared)
    ps_budget_add_scanner (self->budget);

  for (;;)
    {
      guint64 focus_offset, slice;
      gsize focus_length;
      guint interval;
      double fixed_share;
      gboolean paused, limited, sweep;
      PsFrame *frame;
      gint64 now, cpu, pass_cpu;

      g_mutex_lock (&self->lock);
      while (!self->stop_requested && !self->wake_requested &&
             (self->paused || g_get_monotonic_time () < next))
        {
          if (self->paused)
            g_cond_wait (&self->cond, &self->lock);
          else
            g_cond_wait_until (&self->cond, &self->lock, next);
        }
      if (self->stop_requested)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      self->wake_requested = FALSE;
      focus_offset = self->focus_offset;
      focus_length = self->focus_length;
      interval = self->interval_ms;
      fixed_share = self->fixed_share;
      paused = self->paused;
      g_mutex_unlock (&self->lock);

      slice = slice_for (self, interval, self->share);
      /* a freeze waits for a sweep of every page: this pass, paused or not */
      sweep = ps_scanner_begin_pass_sweep (self);
      if (sweep)
        slice = G_MAXUINT64;
      pass_cpu = ps_scanner_thread_cpu_us ();
      frame = ps_scanner_scan_pass (self, slice, focus_offset, focus_length, paused && !sweep);
      if (frame == NULL)
        break;     /* stopped mid-pass */
      if (paused)
        frame->flags |= PS_FRAME_PAUSED;
      /* what the pass funcs cost is the pass's: the budget counts it */
      ps_scanner_run_pass_funcs (self, frame);
      now = g_get_monotonic_time ();
      cpu = ps_scanner_thread_cpu_us ();
      limited = pace (self, frame, cpu - pass_cpu, interval, slice) && !paused;
      /* what the next pass may take: the process's budget less what
       * drawing costs, shared between the scanners */
      if (shared)
        self->share = ps_budget_account_scan (self->budget, cpu - pass_cpu, limited);
      else
        self->share = fixed_share;
      if (now - self->wall_mark_us >= 500 * 1000)
        {
          self->cpu_fraction = (double) (cpu - self->cpu_mark_us) / (now - self->wall_mark_us);
          self->cpu_mark_us = cpu;
          self->wall_mark_us = now;
        }
      frame->cpu_fraction = self->cpu_fraction;

      ps_scanner_publish (self, frame);
      ps_frame_unref (frame);
      next = now + (gint64) self->effective_interval_ms * 1000;
    }
  if (shared)
    ps_budget_remove_scanner (self->budget);
  return NULL;
}

static gboolean
delivery_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs delivery_funcs = {
  .dispatch = delivery_dispatch,
};

static gboolean
deliver (gpointer data)
{
  PsScanner *self = data;
  PsFrame *frame = g_atomic_pointer_exchange (&self->mailbox, NULL);

  if (frame != NULL)
    {
      g_clear_pointer (&self->frame, ps_frame_unref);
      self->frame = frame;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ----------------------------------------------------------- */

static void
ps_scanner_dispose (GObject *object)
{
  PsScanner *self = PS_SCANNER (object);

  ps_scanner_stop (self);
  if (self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  G_OBJECT_CLASS (ps_scanner_parent_class)->dispose (object);
}

static void
ps_scanner_finalize (GObject *object)
{
  PsScanner *self = PS_SCANNER (object);
  PsFrame *pending = g_atomic_pointer_exchange (&self->mailbox, NULL);

  if (pending != NULL)
    ps_frame_unref (pending);
  g_clear_pointer (&self->frame, ps_frame_unref);
  g_clear_pointer (&self->last, ps_frame_unref);
  ps_scanner_free_hashes (self);
  g_free (self->dirty_blocks);
  ps_scanner_dirty_close (self);
  g_free (self->vec);
  g_free (self->focus_bytes);
  g_free (self->focus_change_ms);
  g_free (self->focus_scratch);
  g_clear_object (&self->source);
  g_clear_object (&self->budget);
  g_main_context_unref (self->context);
  for (guint i = 0; i < self->pass_funcs->len; i++)
    {
      PassFunc *f = &g_array_index (self->pass_funcs, PassFunc, i);

      if (f->destroy != NULL)
        f->destroy (f->data);
    }
  g_array_unref (self->pass_funcs);
  g_clear_pointer (&self->changes, g_array_unref);
  g_mutex_clear (&self->pass_lock);
  g_cond_clear (&self->pass_cond);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (ps_scanner_parent_class)->finalize (object);
}

static void
ps_scanner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PsScanner *self = PS_SCANNER (object);

  switch (prop_id)
    {
    case PROP_FRAME:
      g_value_set_boxed (value, self->frame);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, ps_scanner_get_paused (self));
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, ps_scanner_get_interval (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_scanner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PsScanner *self = PS_SCANNER (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      ps_scanner_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      ps_scanner_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_scanner_class_init (PsScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_scanner_dispose;
  object_class->finalize = ps_scanner_finalize;
  object_class->get_property = ps_scanner_get_property;
  object_class->set_property = ps_scanner_set_property;

  properties[PROP_FRAME] =
    g_param_spec_boxed ("frame", NULL, NULL, PS_TYPE_FRAME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS, 100,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_scanner_init (PsScanner *self)
{
  g_autofree guint8 *zero = NULL;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_mutex_init (&self->pass_lock);
  g_cond_init (&self->pass_cond);
  self->pass_funcs = g_array_new (FALSE, FALSE, sizeof (PassFunc));
  self->interval_ms = 100;
  self->effective_interval_ms = 100;
  self->fixed_share = 0;
  self->budget = g_object_ref (ps_budget_get_default ());
  self->share = PS_BUDGET_DEFAULT_FRACTION;
  self->context = g_main_context_ref_thread_default ();
  self->shared_dirty = self->private_dirty = -1;
  self->kpageflags_fd = -1;
  /* the epoch is a second back, so a change stamp is never 0 ("never") */
  self->epoch_us = g_get_monotonic_time () - G_USEC_PER_SEC;

  self->vec = g_malloc (CHUNK_PAGES);
  zero = g_malloc0 (page);
  self->zero_hash = ps_scanner_hash_page (zero, page);
}

PsScanner *
ps_scanner_new (PsSource *source)
{
  PsScanner *self;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  self = g_object_new (PS_TYPE_SCANNER, NULL);
  self->source = g_object_ref (source);

  self->delivery = g_source_new (&delivery_funcs, sizeof (GSource));
  g_source_set_callback (self->delivery, deliver, self, NULL);
  /* the priority of events, above GTK's redraw: a frame published while the
   * window is being built is applied before its first paint, not after it */
  g_source_set_priority (self->delivery, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->delivery, "[pagescope] frame delivery");
  g_source_attach (self->delivery, self->context);
  ps_guard_install ();
  return self;
}

PsSource *
ps_scanner_get_source (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), NULL);
  return self->source;
}

void
ps_scanner_start (PsScanner *self)
{
  g_return_if_fail (PS_IS_SCANNER (self));

  if (self->thread != NULL)
    return;
  g_atomic_int_set (&self->stop_requested, FALSE);
  g_atomic_int_set (&self->running, TRUE);
  self->thread = g_thread_new ("pagescope-scan", scanner_thread, self);
}

void
ps_scanner_stop (PsScanner *self)
{
  g_return_if_fail (PS_IS_SCANNER (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->stop_requested, TRUE);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));
  /* whoever waits for a sweep gives up: none will come */
  g_atomic_int_set (&self->running, FALSE);
  g_mutex_lock (&self->pass_lock);
  g_cond_broadcast (&self->pass_cond);
  g_mutex_unlock (&self->pass_lock);
  /* scan_now may run passes again */
  g_atomic_int_set (&self->stop_requested, FALSE);
}

gboolean
ps_scanner_is_running (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  return self->thread != NULL;
}

void
ps_scanner_set_paused (PsScanner *self,
                       gboolean   paused)
{
  gboolean changed;

  g_return_if_fail (PS_IS_SCANNER (self));

  g_mutex_lock (&self->lock);
  changed = self->paused != !!paused;
  self->paused = !!paused;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
ps_scanner_get_paused (PsScanner *self)
{
  gboolean paused;

  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  g_mutex_lock (&self->lock);
  paused = self->paused;
  g_mutex_unlock (&self->lock);
  return paused;
}

void
ps_scanner_set_interval (PsScanner *self,
                         guint      interval_ms)
{
  gboolean changed;

  g_return_if_fail (PS_IS_SCANNER (self));

  interval_ms = CLAMP (interval_ms, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS);
  g_mutex_lock (&self->lock);
  changed = self->interval_ms != interval_ms;
  self->interval_ms = interval_ms;
  self->wake_requested = TRUE;   /* a shorter interval applies now */
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
ps_scanner_get_interval (PsScanner *self)
{
  guint interval;

  g_return_val_if_fail (PS_IS_SCANNER (self), 0);
  g_mutex_lock (&self->lock);
  interval = self->interval_ms;
  g_mutex_unlock (&self->lock);
  return interval;
}

void
ps_scanner_set_budget (PsScanner *self,
                       double     fraction)
{
  g_return_if_fail (PS_IS_SCANNER (self));
  g_mutex_lock (&self->lock);
  self->fixed_share = CLAMP (fraction, PS_BUDGET_MIN_FRACTION, PS_BUDGET_MAX_FRACTION);
  g_mutex_unlock (&self->lock);
}

void
ps_scanner_set_focus (PsScanner *self,
                      guint64    offset,
                      gsize      length)
{
  const PsGeometry *g;
  guint64 max;

  g_return_if_fail (PS_IS_SCANNER (self));

  g = ps_source_get_geometry (self->source);
  max = PS_SCANNER_FOCUS_MAX_PAGES * g->page_size;
  offset = MIN (offset, g->length);
  length = MIN (MIN (length, max), g->length - offset);

  g_mutex_lock (&self->lock);
  if (self->focus_offset != offset || self->focus_length != length)
    {
      self->focus_offset = offset;
      self->focus_length = length;
      self->wake_requested = TRUE;
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

void
ps_scanner_wake (PsScanner *self)
{
  g_return_if_fail (PS_IS_SCANNER (self));
  /* something was done to the mapping (a write, msync): its dirty figures
   * are read again at the next pass */
  g_atomic_int_set (&self->dirty_read_now, TRUE);
  g_atomic_int_set (&self->dirty_pages_now, TRUE);
  g_mutex_lock (&self->lock);
  self->wake_requested = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

PsFrame *
ps_scanner_get_frame (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), NULL);
  return self->frame;
}

PsFrame *
ps_scanner_scan_now (PsScanner *self)
{
  guint64 focus_offset;
  gsize focus_length;
  gboolean paused;
  PsFrame *frame;

  g_return_val_if_fail (PS_IS_SCANNER (self), NULL);
  g_return_val_if_fail (self->thread == NULL, NULL);

  g_mutex_lock (&self->lock);
  focus_offset = self->focus_offset;
  focus_length = self->focus_length;
  paused = self->paused;
  g_mutex_unlock (&self->lock);

  if (ps_scanner_begin_pass_sweep (self))
    paused = FALSE;     /* a sweep is asked: it hashes, paused or not */
  frame = ps_scanner_scan_pass (self, G_MAXUINT64, focus_offset, focus_length, paused);
  ps_scanner_run_pass_funcs (self, frame);
  ps_scanner_publish (self, frame);
  return frame;
}

guint
ps_scanner_add_pass_func (PsScanner         *self,
                          PsScannerPassFunc  func,
                          gpointer           data,
                          GDestroyNotify     destroy)
{
  PassFunc f = { 0, func, data, destroy };

  g_return_val_if_fail (PS_IS_SCANNER (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  g_mutex_lock (&self->pass_lock);
  f.id = ++self->last_pass_func_id;
  g_array_append_val (self->pass_funcs, f);
  g_atomic_int_set (&self->collect, TRUE);
  g_mutex_unlock (&self->pass_lock);
  return f.id;
}

guint
ps_scanner_add_pass_func_after_sweep (PsScanner         *self,
                                      PsScannerPassFunc  func,
                                      gpointer           data,
                                      GDestroyNotify     destroy)
{
  PassFunc f = { 0, func, data, destroy, 0 };

  g_return_val_if_fail (PS_IS_SCANNER (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  g_mutex_lock (&self->pass_lock);
  f.id = ++self->last_pass_func_id;
  f.after_sweep = ++self->sweep_wanted;
  g_array_append_val (self->pass_funcs, f);
  g_atomic_int_set (&self->collect, TRUE);
  g_mutex_unlock (&self->pass_lock);
  ps_scanner_wake (self);
  return f.id;
}

/* Under pass_lock. */
static PassFunc *
find_pass_func (PsScanner *self,
                guint      id)
{
  for (guint i = 0; i < self->pass_funcs->len; i++)
    if (g_array_index (self->pass_funcs, PassFunc, i).id == id)
      return &g_array_index (self->pass_funcs, PassFunc, i);
  return NULL;
}

gboolean
ps_scanner_pass_func_ready (PsScanner *self,
                            guint      id)
{
  PassFunc *f;
  gboolean ready;

  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  g_mutex_lock (&self->pass_lock);
  f = find_pass_func (self, id);
  ready = f == NULL || f->after_sweep <= self->sweep_done;
  g_mutex_unlock (&self->pass_lock);
  return ready;
}

static void
wake_waiters (GCancellable *cancellable,
              PsScanner    *self)
{
  g_mutex_lock (&self->pass_lock);
  g_cond_broadcast (&self->pass_cond);
  g_mutex_unlock (&self->pass_lock);
}

gboolean
ps_scanner_wait_pass_func (PsScanner    *self,
                           guint         id,
                           GCancellable *cancellable)
{
  gulong handler = 0;
  gboolean ready = FALSE;

  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_waiters), self, NULL);
  g_mutex_lock (&self->pass_lock);
  for (;;)
    {
      PassFunc *f = find_pass_func (self, id);

      ready = f == NULL || f->after_sweep <= self->sweep_done;
      if (ready || !g_atomic_int_get (&self->running) || g_cancellable_is_cancelled (cancellable))
        break;
      g_cond_wait (&self->pass_cond, &self->pass_lock);
    }
  g_mutex_unlock (&self->pass_lock);
  g_cancellable_disconnect (cancellable, handler);
  return ready;
}

void
ps_scanner_remove_pass_func (PsScanner *self,
                             guint      id)
{
  PassFunc removed = { 0 };

  g_return_if_fail (PS_IS_SCANNER (self));

  /* waits for a call under way: after this, func is never called again */
  g_mutex_lock (&self->pass_lock);
  for (guint i = 0; i < self->pass_funcs->len; i++)
    if (g_array_index (self->pass_funcs, PassFunc, i).id == id)
      {
        removed = g_array_index (self->pass_funcs, PassFunc, i);
        g_array_remove_index (self->pass_funcs, i);
        break;
      }
  g_atomic_int_set (&self->collect, self->pass_funcs->len > 0);
  g_mutex_unlock (&self->pass_lock);

  g_return_if_fail (removed.id != 0);
  if (removed.destroy != NULL)
    removed.destroy (removed.data);
}

gsize
ps_scanner_get_state_bytes (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), 0);
  return sizeof *self + CHUNK_PAGES + ps_scanner_hash_bytes (self) +
         (self->n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES +
         self->cur_focus_length * (2 + sizeof (guint32));
}

/* ---- for tests (ps-scanner-private.h) ---------------------------------- */

void
ps_scanner_set_slice_hook (PsScanner          *self,
                           PsScannerSliceHook  hook,
                           gpointer            data)
{
  g_return_if_fail (PS_IS_SCANNER (self));
  g_return_if_fail (self->thread == NULL);

  self->slice_hook = hook;
  self->slice_hook_data = data;
}

gboolean
ps_scanner_sweep_pending (PsScanner *self)
{
  gboolean pending;

  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  g_mutex_lock (&self->pass_lock);
  pending = self->sweep_wanted > self->sweep_done;
  g_mutex_unlock (&self->pass_lock);
  return pending;
}

gboolean
ps_scanner_stop_requested (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  return ps_scanner_stopping (self);
}

guint64
ps_scanner_get_stopped_pass_pages (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), 0);
  g_return_val_if_fail (self->thread == NULL, 0);
  return self->stopped_pass_pages;
}
