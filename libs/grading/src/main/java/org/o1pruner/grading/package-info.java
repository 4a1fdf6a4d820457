/**
 * Answer grading for the O1-Pruner reward: the accuracy term A(x, y).
 *
 * <p>{@link org.o1pruner.grading.Grader} extracts a solution's final answer
 * ({@link org.o1pruner.grading.AnswerExtractor}: the last {@code \boxed{…}}) and decides whether
 * it is equivalent to the ground truth. Pure: JDK only, no I/O, no clocks, no threads; every
 * decision bounded by a {@link org.o1pruner.grading.GradingBudget}.
 *
 * <p>Decisions a user may want to know about:
 * <ul>
 *   <li>Numbers compare exactly as rationals (big integers never pass through floats); anything
 *       with roots, π, {@code i}, functions or variables compares numerically to about nine
 *       significant digits, at three pseudo-random positive points for the variables.</li>
 *   <li>Percent is a number: {@code 18\%} equals {@code 0.18} and {@code 18\%}, never {@code 18}.
 *       A consequence: a solution that writes {@code \boxed{10}\%} for a truth of {@code 10}
 *       ("answer as a percentage, without the sign") is graded wrong.</li>
 *   <li>Units: dropped when only one side has one or both have the same one (after plural
 *       and synonym folding, e.g. {@code cm} = {@code centimeters}); different units are
 *       unequal, with no conversion ({@code 2 hours} is not {@code 120 minutes}). Degree
 *       signs behave as a unit.</li>
 *   <li>Bare comma lists and sets compare in any order; tuples, intervals (bracket kinds must
 *       match), matrices and equation sides in order. {@code x = 3} equals {@code 3} when the
 *       left side is a plain name; {@code a \pm b} is the list {@code a+b, a-b}.</li>
 *   <li>Text answers compare case-insensitively; multiple-choice letters {@code A},
 *       {@code (A)}, {@code \text{(A)}} are one answer.</li>
 *   <li>Numerals in another base such as {@code 422_8} are symbols equal only to themselves.</li>
 * </ul>
 */
package org.o1pruner.grading;
