package org.o1pruner.demo;

/**
 * The rows of the paper's Table 2 that the demo reproduces: the reference model, the three
 * baselines the paper compares against, and O1-Pruner.
 */
public enum Method {
    /** The reference model as shipped. */
    BASELINE("baseline", "Baseline"),
    /** The reference model with the paper's fast-solving instruction; no training. */
    FAST_PROMPT("fast_prompt", "Fast prompt"),
    /** NLL fine-tuning on the two shortest correct samples of each problem. */
    SFT("sft", "SFT"),
    /** DPO: the two shortest correct samples against the longest. */
    DPO("dpo", "DPO"),
    /** Length-harmonizing fine-tuning. */
    O1_PRUNER("o1_pruner", "O1-Pruner");

    private final String key;
    private final String title;

    Method(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** The name in summary.json and file names. */
    public String key() {
        return key;
    }

    /** The name in the printed table. */
    public String title() {
        return title;
    }
}
