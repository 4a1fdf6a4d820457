package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptFormatTest {

    @Test
    void chatMlCarriesThePapersSystemPromptAndUserTurn() {
        String p = PromptFormat.chatMl().render("What is 2+3?", PromptFormat.Speed.NORMAL);
        assertEquals("<|im_start|>system\nYou are a helpful assistant. You should think step-by-step"
                + " and put your final answer within \\boxed{}.<|im_end|>\n"
                + "<|im_start|>user\nSolve the problem: What is 2+3?<|im_end|>\n"
                + "<|im_start|>assistant\n", p);
        assertEquals(List.of("<|im_end|>"), PromptFormat.chatMl().stopStrings());
    }

    @Test
    void theFastSolvingSuffixFollowsTheProblem() {
        assertEquals("Solve the problem: x\nBe confident. Solving this problem quickly with less"
                + " pause, stop or reflection.", PromptFormat.userMessage("x", PromptFormat.Speed.FAST));
        assertEquals("Solve the problem: x\nThis is an easy problem. Please solve it quickly without"
                + " any pause, check or reflection.",
                PromptFormat.userMessage("x", PromptFormat.Speed.VERY_FAST));
        assertEquals("Solve the problem: 4+5\n",
                PromptFormat.plain().render("4+5", PromptFormat.Speed.NORMAL));
    }

    @Test
    void theTemplateFamilyIsReadFromTheChatTemplate() {
        assertEquals(PromptFormat.Style.CHATML,
                PromptFormat.forChatTemplate("{{'<|im_start|>' + message['role']}}").style());
        assertEquals(PromptFormat.Style.LLAMA3,
                PromptFormat.forChatTemplate("{{'<|start_header_id|>' + role}}").style());
        assertEquals(PromptFormat.Style.PLAIN, PromptFormat.forChatTemplate(null).style());
        assertThrows(IllegalArgumentException.class, () -> PromptFormat.forChatTemplate("[INST]"));
        PromptFormat r1 = PromptFormat.forChatTemplate(
                "{{bos_token}}{{'<｜User｜>' + content}}{{'<｜Assistant｜><think>\\n'}}");
        assertEquals(PromptFormat.Style.DEEPSEEK_R1, r1.style());
        assertEquals("<｜begin▁of▁sentence｜><｜User｜>Solve the problem: q<｜Assistant｜><think>\n",
                PromptFormat.deepSeekR1(null, true).render("q", PromptFormat.Speed.NORMAL));
        assertEquals(List.of("<｜end▁of▁sentence｜>"), r1.stopStrings());
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nSolve the"
                + " problem: q<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                PromptFormat.llama3(null).render("q", PromptFormat.Speed.NORMAL));
    }
}
