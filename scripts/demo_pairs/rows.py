"""The row every demo pair becomes, and the list each section module fills in the order written."""

SOURCE = "cai-audit-demo"


class PairList(list):
    """A section's pairs in the order written; ids are given when the sections are joined."""

    def pair(
        self, principle, domain, category, locale, prompt, chosen, rejected, *, high_stakes=False
    ):
        """`prompt` is one user message, or a tuple of turns (user, assistant, ..., user)."""
        if isinstance(prompt, tuple):
            roles = ("user", "assistant")
            prompt = [{"role": roles[n % 2], "content": text} for n, text in enumerate(prompt)]
        self.append(
            {
                "prompt": prompt,
                "chosen": chosen,
                "rejected": rejected,
                "domain": domain,
                "harm_category": category,
                "locale": locale,
                "high_stakes": high_stakes,
                "principle": principle,
                "source": SOURCE,
            }
        )
