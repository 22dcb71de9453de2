import { describe, expect, it } from "vitest";
import { languageOf, pickLanguage, splitPair } from "./languages.ts";

describe("languageOf", () => {
  it("calls text with Hangul Korean (Latin words inside it too), Latin words English, and symbols both", () => {
    expect(languageOf("ResNet은 최적화가 쉽다")).toBe("ko");
    expect(languageOf("plain net을 학습")).toBe("ko");
    expect(languageOf("deeper plain nets train worse")).toBe("en");
    expect(languageOf("F(x) = H(x) − x, k = 1")).toBe("both");
    expect(languageOf("")).toBe("both");
  });
});

describe("splitPair", () => {
  it("splits 한국어 / English, keeping a section number on both halves", () => {
    expect(splitPair("2. 잔차 학습 / §3.1 Residual learning")).toEqual({
      ko: "2. 잔차 학습",
      en: "2. §3.1 Residual learning",
      koFirst: true,
    });
    expect(splitPair("키워드 / Keywords")).toEqual({ ko: "키워드", en: "Keywords", koFirst: true });
  });

  it("takes the first slash after which no Hangul follows, so a half may contain ' / ' itself", () => {
    expect(splitPair("A / B 옵션 / options A / B")).toEqual({ ko: "A / B 옵션", en: "options A / B", koFirst: true });
  });

  it("reads lib's English-first captions too, and leaves texts that are no pair alone", () => {
    expect(splitPair("Algorithm 1: this run vs the paper / 이번 실행과 논문")).toEqual({
      ko: "이번 실행과 논문",
      en: "Algorithm 1: this run vs the paper",
      koFirst: false,
    });
    expect(splitPair("the paper's rule / the released code")).toBeUndefined();
    expect(splitPair("평범한 망 / 잔차 망")).toBeUndefined();
    expect(splitPair("p_data/(p_data + p_g)")).toBeUndefined();
    expect(splitPair("한국어만")).toBeUndefined();
  });
});

describe("pickLanguage", () => {
  it("gives each ' — ' part's half for one language and the whole text for both", () => {
    const text = "§3 적대적 신경망 / Adversarial nets — 가치 함수 / the value function";
    expect(pickLanguage(text, "ko")).toBe("§3 적대적 신경망 — 가치 함수");
    expect(pickLanguage(text, "en")).toBe("Adversarial nets — the value function");
    expect(pickLanguage(text, "both")).toBe(text);
    expect(pickLanguage("Figure 6 analog", "ko")).toBe("Figure 6 analog");
  });
});
