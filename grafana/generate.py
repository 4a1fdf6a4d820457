#!/usr/bin/env python3
"""Writes grafana/dashboards/*.json: the O1-Pruner dashboards, one JSON per service plus the
pipeline overview. Edit here, run `python3 grafana/generate.py`, commit both. Every query uses
only metrics the services export (checked by DashboardMetricsTest and `o1p check-dashboards`)."""
import json, os

DS = {"type": "prometheus", "uid": "${datasource}"}
RUN = 'run_id=~"$run_id"'
RI = "$__rate_interval"
_id = [0]


def target(expr, legend="", ref="A", instant=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref}
    if instant:
        t["instant"] = True
        t["range"] = False
    return t


def thresholds(*steps):
    """steps: (value or None, color)"""
    return {"mode": "absolute", "steps": [{"value": v, "color": c} for v, c in steps]}


def panel(kind, title, desc, targets, x, y, w=12, h=8, unit="short", thr=None, decimals=None,
          minv=None, maxv=None, stack=False, options=None):
    _id[0] += 1
    refs = "ABCDEFGHIJ"
    tg = []
    for i, t in enumerate(targets):
        if isinstance(t, tuple):
            t = target(t[0], t[1] if len(t) > 1 else "", refs[i])
        else:
            t = dict(t, refId=refs[i])
        tg.append(t)
    defaults = {"unit": unit, "thresholds": thr or thresholds((None, "green")),
                "color": {"mode": "thresholds" if kind in ("stat", "gauge", "bargauge") else "palette-classic"}}
    if decimals is not None:
        defaults["decimals"] = decimals
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    if kind == "timeseries":
        defaults["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                              "showPoints": "never", "spanNulls": True,
                              "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                              "thresholdsStyle": {"mode": "line" if thr else "off"}}
    p = {"id": _id[0], "type": kind, "title": title, "description": desc, "datasource": DS,
         "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": tg,
         "fieldConfig": {"defaults": defaults, "overrides": []}}
    if kind == "table":
        p["transformations"] = [{"id": "merge", "options": {}},
                                {"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True}}}]
    if options:
        p["options"] = options
    elif kind == "timeseries":
        p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}
    elif kind == "stat":
        p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "background", "graphMode": "area", "textMode": "auto"}
    return p


def dashboard(uid, title, desc, panels, tags, extra_vars=()):
    variables = [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []},
        {"name": "run_id", "label": "Run", "type": "query", "datasource": DS,
         "query": {"query": "label_values(up, run_id)", "refId": "run"},
         "definition": "label_values(run_id)", "includeAll": True, "multi": True, "allValue": ".*",
         "current": {"text": "All", "value": "$__all"}, "refresh": 2, "sort": 1, "hide": 0, "options": []},
    ]
    variables[1]["query"]["query"] = "label_values(run_id)"
    variables.extend(extra_vars)
    return {"uid": uid, "title": title, "description": desc, "tags": ["o1p"] + tags, "timezone": "utc",
            "schemaVersion": 39, "version": 1, "editable": True, "graphTooltip": 1,
            "refresh": "10s", "time": {"from": "now-1h", "to": "now"},
            "templating": {"list": variables}, "annotations": {"list": []},
            "links": [{"title": "O1-Pruner", "type": "dashboards", "tags": ["o1p"], "asDropdown": True}],
            "panels": panels}


def r(metric, extra=""):
    sel = RUN + ("," + extra if extra else "")
    return f"{metric}{{{sel}}}"


def overview():
    _id[0] = 0
    stages = [
        (f"sum(rate({r('o1p_sampler_prompts_total')}[{RI}]))", "prompts sampled"),
        (f"sum(rate({r('o1p_sampler_samples_total')}[{RI}]))", "samples generated"),
        (f"sum(rate({r('o1p_reward_samples_scored_total')}[{RI}]))", "samples scored"),
        (f"sum(rate({r('o1p_trainer_samples_trained_total')}[{RI}]))", "samples trained"),
        (f"sum(rate({r('o1p_eval_solutions_total')}[{RI}]))", "eval solutions"),
    ]
    dl = [(f"sum by (reason) (increase({r(f'o1p_{s}_dead_letters_total')}[{RI}]))", s + " {{reason}}")
          for s in ("sampler", "reward", "trainer", "eval")]
    return dashboard("o1p-overview", "O1-Pruner / Pipeline overview",
                     "Throughput through every stage, consumer lag, dead letters and service health.", [
        panel("stat", "Services up", "Scrape targets of the o1p services that answered the last scrape (1 = up).",
              [(f'up{{job=~"o1p.*"}}', "{{job}}")], 0, 0, 24, 4, unit="none",
              thr=thresholds((None, "red"), (1, "green")), minv=0, maxv=1),
        panel("timeseries", "Samples per second through each stage",
              "Prompts the samplers finished, samples generated, scored by the reward service, trained by "
              "the trainer, and solutions the evaluators graded.", stages, 0, 4, 24, 9, unit="reqps", minv=0),
        panel("timeseries", "Consumer lag per topic and service (group o1p-<service>)",
              "Records behind the log end, from the services' own Kafka consumer metrics "
              "(max over partitions). Lag that grows means the stage cannot keep up.",
              [(f"max by (service, topic) ({r('kafka_consumer_fetch_manager_records_lag')})",
                "{{service}} / {{topic}}")], 0, 13, 12, 8, unit="none", minv=0,
              thr=thresholds((None, "green"), (1000, "orange"), (10000, "red"))),
        panel("timeseries", "Dead letters by reason", "Records each service sent to the dead-letter topic, "
              "by reason, per interval. Anything above zero needs a look.", dl, 12, 13, 12, 8, unit="none",
              minv=0, thr=thresholds((None, "green"), (1, "red"))),
        panel("timeseries", "Reward service transactions per second",
              "Committed and aborted consume-score-produce transactions of the reward service's exactly-once loop.",
              [(f"sum by (outcome) (rate({r('o1p_reward_loop_transactions_total')}[{RI}]))", "{{outcome}}")],
              0, 21, 12, 8, unit="reqps", minv=0),
        panel("stat", "Reward loop running", "1 while the reward service's transactional loop is processing; 0 "
              "means it stopped (its readiness fails too).",
              [(f"{r('o1p_reward_loop_running')}", "{{instance}}")],
              12, 21, 12, 8, unit="none", thr=thresholds((None, "red"), (1, "green"))),
    ], ["overview"])


def sampler():
    _id[0] = 0
    return dashboard("o1p-sampler", "O1-Pruner / Sampler",
                     "Generation throughput, lengths, batch use and the policy version in use.", [
        panel("timeseries", "Generated tokens per second", "Response tokens generated (prompt excluded).",
              [(f"sum by (instance) (rate({r('o1p_sampler_tokens_total')}[{RI}]))", "{{instance}}"),
               (f"sum(rate({r('o1p_sampler_tokens_total')}[{RI}]))", "all samplers")], 0, 0, 12, 8,
              unit="none", minv=0),
        panel("stat", "Policy version in use", "Checkpoint version each sampler generates with.",
              [(r('o1p_sampler_policy_version'), "{{instance}}")], 12, 0, 6, 8, unit="none", decimals=0),
        panel("stat", "Version mismatches / refused checkpoints",
              "Prompts sampled with another policy version than requested, and checkpoints refused "
              "(sha256 mismatch).",
              [(f"sum(increase({r('o1p_sampler_version_mismatches_total')}[1h]))", "mismatches (1h)"),
               (f"sum(increase({r('o1p_sampler_checkpoints_refused_total')}[1h]))", "refused (1h)")],
              18, 0, 6, 8, unit="none", thr=thresholds((None, "green"), (1, "orange"))),
        panel("timeseries", "Generation length (tokens)",
              "Quantiles of generated tokens per sample: the length distribution the pruning shortens.",
              [(f"histogram_quantile(0.5, sum by (le) (rate({r('o1p_sampler_generation_length_tokens_bucket')}[{RI}])))", "p50"),
               (f"histogram_quantile(0.9, sum by (le) (rate({r('o1p_sampler_generation_length_tokens_bucket')}[{RI}])))", "p90"),
               (f"sum(rate({r('o1p_sampler_generation_length_tokens_sum')}[{RI}])) / sum(rate({r('o1p_sampler_generation_length_tokens_count')}[{RI}]))", "mean")],
              0, 8, 12, 8, unit="none", minv=0),
        panel("heatmap", "Generation length distribution", "Histogram of generated tokens per sample over time.",
              [target(f"sum by (le) (increase({r('o1p_sampler_generation_length_tokens_bucket')}[{RI}]))",
                      "{{le}}") | {"format": "heatmap"}], 12, 8, 12, 8, unit="none",
              options={"calculate": False, "yAxis": {"unit": "none"}, "cellGap": 1,
                       "color": {"mode": "scheme", "scheme": "Oranges"}}),
        panel("timeseries", "Batch occupancy", "Mean rows in an engine batch over the configured batch size; "
              "low occupancy wastes the accelerator.",
              [(f"sum(rate({r('o1p_sampler_batch_occupancy_sum')}[{RI}])) / sum(rate({r('o1p_sampler_batch_occupancy_count')}[{RI}]))", "mean occupancy")],
              0, 16, 12, 8, unit="percentunit", minv=0, maxv=1,
              thr=thresholds((None, "red"), (0.5, "orange"), (0.8, "green"))),
        panel("timeseries", "Batch and sample duration", "Mean wall time of an engine batch and of one sample.",
              [(f"sum(rate({r('o1p_sampler_batch_duration_seconds_sum')}[{RI}])) / sum(rate({r('o1p_sampler_batch_duration_seconds_count')}[{RI}]))", "batch"),
               (f"sum(rate({r('o1p_sampler_sample_duration_seconds_sum')}[{RI}])) / sum(rate({r('o1p_sampler_sample_duration_seconds_count')}[{RI}]))", "sample")],
              12, 16, 12, 8, unit="s", minv=0),
        panel("timeseries", "Downstream lag and back-pressure",
              "Lag of the reward service's group the sampler watches, and pauses it took because of it.",
              [(r('o1p_sampler_downstream_lag'), "downstream lag {{instance}}"),
               (f"sum(increase({r('o1p_sampler_backpressure_pauses_total')}[{RI}]))", "pauses")],
              0, 24, 12, 8, unit="none", minv=0),
        panel("timeseries", "Prompt queue depth", "Prompts read but not yet sampled.",
              [(r('o1p_sampler_queue_depth'), "{{instance}}")], 12, 24, 12, 8, unit="none", minv=0),
    ], ["sampler"])


def reward():
    _id[0] = 0
    ds_var = {"name": "dataset", "label": "Data set", "type": "query", "datasource": DS,
              "query": {"query": "label_values(o1p_reward_samples_scored_total, dataset)", "refId": "ds"},
              "definition": "label_values(o1p_reward_samples_scored_total, dataset)", "includeAll": True,
              "multi": True, "allValue": ".*", "current": {"text": "All", "value": "$__all"}, "refresh": 2,
              "hide": 0, "options": []}
    D = 'dataset=~"$dataset"'
    return dashboard("o1p-reward", "O1-Pruner / Reward",
                     "Accuracy and length of scored samples by data set, the reward distribution, group "
                     "completion latency and grading time-outs.", [
        panel("timeseries", "Accuracy of scored samples by data set",
              "Fraction of scored samples whose final answer is correct.",
              [(f"sum by (dataset) (rate({r('o1p_reward_samples_correct_total', D)}[{RI}])) / "
                f"sum by (dataset) (rate({r('o1p_reward_samples_scored_total', D)}[{RI}]))", "{{dataset}}")],
              0, 0, 12, 8, unit="percentunit", minv=0, maxv=1,
              thr=thresholds((None, "red"), (0.3, "orange"), (0.6, "green"))),
        panel("timeseries", "Mean length of scored samples by data set", "Mean response tokens (prompt, EOS excluded).",
              [(f"sum by (dataset) (rate({r('o1p_reward_sample_length_tokens_sum', D)}[{RI}])) / "
                f"sum by (dataset) (rate({r('o1p_reward_sample_length_tokens_count', D)}[{RI}]))", "{{dataset}}")],
              12, 0, 12, 8, unit="none", minv=0),
        panel("bargauge", "Reward distribution (clipped R_LH, cumulative counts at or below le)",
              "Scored samples whose clipped length-harmonizing reward is at most each bound, over the "
              "dashboard's range.",
              [target(f"sum by (le) (increase({r('o1p_reward_reward_total')}[$__range]))", "≤ {{le}}",
                      instant=True)], 0, 8, 12, 9, unit="none",
              options={"orientation": "vertical", "displayMode": "gradient", "showUnfilled": True,
                       "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}),
        panel("timeseries", "Samples in / scored / duplicates per second", "Input rate, scored rate and "
              "redelivered duplicates dropped.",
              [(f"sum(rate({r('o1p_reward_samples_in_total')}[{RI}]))", "in"),
               (f"sum(rate({r('o1p_reward_samples_scored_total')}[{RI}]))", "scored"),
               (f"sum(rate({r('o1p_reward_samples_duplicate_total')}[{RI}]))", "duplicates")],
              12, 8, 12, 9, unit="reqps", minv=0),
        panel("timeseries", "Group completion latency", "First sample of a problem to its K-th, by outcome.",
              [(f"max by (outcome, quantile) ({r('o1p_reward_group_completion_seconds')})", "{{outcome}} p{{quantile}}")],
              0, 17, 12, 8, unit="s", minv=0, thr=thresholds((None, "green"), (60, "orange"), (300, "red"))),
        panel("timeseries", "Grading time and time-outs", "p99 time to grade one sample, and gradings that hit "
              "their budget per interval.",
              [(f"histogram_quantile(0.99, sum by (le) (rate({r('o1p_reward_grading_time_seconds_bucket')}[{RI}])))", "grading p99"),
               (f"sum(increase({r('o1p_reward_grading_timeouts_total')}[{RI}]))", "time-outs")],
              12, 17, 12, 8, unit="s", minv=0),
        panel("timeseries", "Open groups and buffered samples", "Groups waiting for their K samples.",
              [(f"sum({r('o1p_reward_groups_open')})", "open groups"),
               (f"sum({r('o1p_reward_samples_buffered')})", "buffered samples")], 0, 25, 12, 8, unit="none", minv=0),
        panel("stat", "Grading time-outs (range)", "Gradings that hit the budget in the dashboard's range.",
              [target(f"sum(increase({r('o1p_reward_grading_timeouts_total')}[$__range]))", "time-outs",
                      instant=True)], 12, 25, 12, 8, unit="none",
              thr=thresholds((None, "green"), (1, "orange"), (100, "red"))),
    ], ["reward"], extra_vars=[ds_var])


def trainer():
    _id[0] = 0
    return dashboard("o1p-trainer", "O1-Pruner / Trainer",
                     "PPO-clipped fine-tuning: loss, clip fraction, approximate KL, advantage statistics, "
                     "throughput and checkpoints.", [
        panel("timeseries", "Loss", "Loss of the last optimizer step.", [(r('o1p_trainer_loss'), "loss")],
              0, 0, 12, 8, unit="none"),
        panel("timeseries", "Clip fraction", "Fraction of ratios outside [1-ε, 1+ε] in the last step; "
              "above ~0.3 the policy moves too far from the reference per step.",
              [(r('o1p_trainer_clip_fraction'), "clip fraction")], 12, 0, 12, 8, unit="percentunit",
              minv=0, maxv=1, thr=thresholds((None, "green"), (0.2, "orange"), (0.45, "red"))),
        panel("timeseries", "Approximate KL to the reference", "Mean of (r-1) - log r over the last step.",
              [(r('o1p_trainer_kl_approx'), "KL")], 0, 8, 12, 8, unit="none", minv=0,
              thr=thresholds((None, "green"), (0.05, "orange"), (0.2, "red"))),
        panel("timeseries", "Advantage statistics", "Running mean and standard deviation of the clipped "
              "reward that standardise advantages, and the last step's mean raw reward.",
              [(r('o1p_trainer_advantage_mean'), "running mean"), (r('o1p_trainer_advantage_std'), "running std"),
               (r('o1p_trainer_reward_mean'), "step mean reward")], 12, 8, 12, 8, unit="none"),
        panel("timeseries", "Trained tokens per second", "Response tokens trained per second.",
              [(r('o1p_trainer_tokens_per_second'), "last step"),
               (f"sum(rate({r('o1p_trainer_tokens_trained_total')}[{RI}]))", "average")], 0, 16, 12, 8,
              unit="none", minv=0),
        panel("stat", "Checkpoint version", "Version of the last checkpoint written.",
              [(r('o1p_trainer_checkpoint_version'), "version")], 12, 16, 6, 8, unit="none", decimals=0),
        panel("stat", "Optimizer steps", "Optimizer steps taken since the trainer started.",
              [(f"sum({r('o1p_trainer_steps_total')})", "steps")], 18, 16, 6, 8, unit="none", decimals=0),
        panel("timeseries", "Gradient norm and learning rate", "Global gradient norm before clipping and "
              "the scheduled learning rate.",
              [(r('o1p_trainer_grad_norm'), "grad norm"), (r('o1p_trainer_learning_rate'), "learning rate")],
              0, 24, 12, 8, unit="none", minv=0),
        panel("timeseries", "Step and checkpoint time", "Mean wall time of an optimizer step and of writing a checkpoint.",
              [(f"sum(rate({r('o1p_trainer_step_time_seconds_sum')}[{RI}])) / sum(rate({r('o1p_trainer_step_time_seconds_count')}[{RI}]))", "step"),
               (r('o1p_trainer_checkpoint_time_seconds_max'), "checkpoint (max)")], 12, 24, 12, 8, unit="s", minv=0),
        panel("timeseries", "Ratio mean and reference drift", "Mean policy/reference ratio, and |recorded - "
              "frozen| reference log-prob (should stay near 0).",
              [(r('o1p_trainer_ratio_mean'), "ratio mean"), (r('o1p_trainer_reference_drift'), "drift mean"),
               (r('o1p_trainer_reference_drift_max'), "drift max")], 0, 32, 24, 8, unit="none"),
    ], ["trainer"])


def evaluation():
    _id[0] = 0
    ds_var = {"name": "dataset", "label": "Data set", "type": "query", "datasource": DS,
              "query": {"query": "label_values(o1p_eval_accuracy, dataset)", "refId": "ds"},
              "definition": "label_values(o1p_eval_accuracy, dataset)", "includeAll": True, "multi": True,
              "allValue": ".*", "current": {"text": "All", "value": "$__all"}, "refresh": 2, "hide": 0,
              "options": []}
    D = 'dataset=~"$dataset"'

    def kinds(metric):
        return [(r(metric, D + ',kind="latest"'), "{{dataset}} latest"),
                (r(metric, D + ',kind="baseline"'), "{{dataset}} baseline"),
                (r(metric, D + ',kind="best"'), "{{dataset}} best")]
    return dashboard("o1p-eval", "O1-Pruner / Evaluation",
                     "Accuracy, mean length and AES per data set for each checkpoint version against the "
                     "baseline: the chart the system exists for.", [
        panel("timeseries", "Accuracy per data set: latest checkpoint vs baseline",
              "Greedy accuracy of the newest evaluated checkpoint, the best promoted one and the baseline "
              "(reference model). Each step in the latest line is a new checkpoint version.",
              kinds('o1p_eval_accuracy'), 0, 0, 12, 9, unit="percentunit", minv=0, maxv=1),
        panel("timeseries", "Mean solution length per data set: latest vs baseline",
              "Mean response tokens; O1-Pruner should push the latest line well below the baseline.",
              kinds('o1p_eval_length_mean_tokens'), 12, 0, 12, 9, unit="none", minv=0),
        panel("timeseries", "AES per data set (formula as written)", "Accuracy-efficiency score of the latest "
              "and best versions against the baseline: α·ΔL ± β/γ·|ΔA|. Above 0 is better than the baseline.",
              [(r('o1p_eval_aes', D + ',kind="latest"'), "{{dataset}} latest"),
               (r('o1p_eval_aes', D + ',kind="best"'), "{{dataset}} best")], 0, 9, 12, 9, unit="none",
              thr=thresholds((None, "red"), (0, "orange"), (0.3, "green"))),
        panel("timeseries", "AES as the paper's table computed it", "The variant matching the paper's printed "
              "numbers (β·|ΔA| also when accuracy fell).",
              [(r('o1p_eval_aes_paper', D + ',kind="latest"'), "{{dataset}} latest")], 12, 9, 12, 9,
              unit="none", thr=thresholds((None, "red"), (0, "orange"), (0.3, "green"))),
        panel("table", "Per data set and version: latest vs baseline",
              "The latest evaluated version per data set with accuracy, its 95 % interval, mean length and AES; "
              "the baseline row is the reference model.",
              [target(r('o1p_eval_version', D), "", instant=True) | {"format": "table"},
               target(r('o1p_eval_accuracy', D), "", instant=True) | {"format": "table"},
               target(r('o1p_eval_accuracy_low95', D), "", instant=True) | {"format": "table"},
               target(r('o1p_eval_accuracy_high95', D), "", instant=True) | {"format": "table"},
               target(r('o1p_eval_length_mean_tokens', D), "", instant=True) | {"format": "table"},
               target(r('o1p_eval_aes', D), "", instant=True) | {"format": "table"}],
              0, 18, 24, 9, unit="none", decimals=3,
              options={"showHeader": True, "footer": {"show": False}},
              ),
        panel("stat", "Evaluated versions", "Checkpoint version each kind refers to.",
              [(f"max by (kind) ({r('o1p_eval_version', D)})", "{{kind}}")], 0, 27, 8, 6, unit="none",
              decimals=0),
        panel("stat", "Evaluations and promotions", "Checkpoint evaluations finished and versions promoted.",
              [(f"sum({r('o1p_eval_evaluations_total', D)})", "evaluations"),
               (f"sum({r('o1p_eval_promotions_total', D)})", "promotions")], 8, 27, 8, 6, unit="none"),
        panel("timeseries", "Evaluation time per version and data set", "Mean time to evaluate one version on one data set.",
              [(f"sum by (dataset) (rate({r('o1p_eval_evaluation_duration_seconds_sum', D)}[1h])) / "
                f"sum by (dataset) (rate({r('o1p_eval_evaluation_duration_seconds_count', D)}[1h]))", "{{dataset}}")],
              16, 27, 8, 6, unit="s", minv=0),
    ], ["eval"], extra_vars=[ds_var])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "dashboards")
    os.makedirs(out, exist_ok=True)
    for name, f in [("overview", overview), ("sampler", sampler), ("reward", reward), ("trainer", trainer),
                    ("eval", evaluation)]:
        with open(os.path.join(out, f"o1p-{name}.json"), "w") as fh:
            json.dump(f(), fh, indent=2, ensure_ascii=False)
            fh.write("\n")


if __name__ == "__main__":
    main()
