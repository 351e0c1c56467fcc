"""Claims: circulating false or misleading news, from report to rebuttal or dismissal."""
