r"""Formulas as LaTeX users write them (issue 21): fixtures for the math tests.

ISSUE_21 is the 30-formula set the issue was filed with: formulas people put on ML cards,
each written as in a paper and each compiling in pdflatex (amsmath, amssymb, bm; `\argmax`
as `\DeclareMathOperator*`). CONSTRUCTS adds one line per construct the issue lists, so
the table-driven test covers every one of them at least once.
"""

ISSUE_21 = [
    # softmax, attention, cross-entropy, KL
    r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
    r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"\mathcal{L}_{\mathrm{CE}} = -\sum_{i} y_i \log \hat{y}_i",
    r"D_{\mathrm{KL}}(P \parallel Q) = \sum_{x} P(x) \log \frac{P(x)}{Q(x)}",
    # PPO clip objective, DPO loss
    r"L^{\mathrm{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[\min\left(r_t(\theta)\hat{A}_t, \operatorname{clip}(r_t(\theta), 1-\epsilon, 1+\epsilon)\hat{A}_t\right)\right]",
    r"\mathcal{L}_{\mathrm{DPO}} = -\mathbb{E}_{(x, y_w, y_l) \sim \mathcal{D}}\left[\log \sigma\left(\beta \log \frac{\pi_\theta(y_w \mid x)}{\pi_{\mathrm{ref}}(y_w \mid x)} - \beta \log \frac{\pi_\theta(y_l \mid x)}{\pi_{\mathrm{ref}}(y_l \mid x)}\right)\right]",
    # Adam
    r"\theta_t = \theta_{t-1} - \alpha \frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}",
    r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t",
    # LayerNorm, RoPE
    r"\mathrm{LN}(x) = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta",
    r"R_{\Theta, m} = \begin{pmatrix} \cos m\theta & -\sin m\theta \\ \sin m\theta & \cos m\theta \end{pmatrix}",
    # InfoNCE, ELBO
    r"\mathcal{L}_{\mathrm{InfoNCE}} = -\mathbb{E}\left[\log \frac{\exp(f(x)^\top f(x^+) / \tau)}{\sum_{j=1}^{N} \exp(f(x)^\top f(x_j) / \tau)}\right]",
    r"\log p(x) \ge \mathbb{E}_{q(z \mid x)}[\log p(x \mid z)] - D_{\mathrm{KL}}(q(z \mid x) \,\|\, p(z))",
    # diffusion
    r"q(x_t \mid x_{t-1}) = \mathcal{N}(x_t; \sqrt{1 - \beta_t}\, x_{t-1}, \beta_t \mathbf{I})",
    r"\mathcal{L}_{\text{simple}} = \mathbb{E}_{t, x_0, \epsilon}\left[\lVert \epsilon - \epsilon_\theta(x_t, t) \rVert^2\right]",
    # perplexity, GELU
    r"\mathrm{PPL} = \exp\left(-\frac{1}{N} \sum_{i=1}^{N} \log p(x_i \mid x_{<i})\right)",
    r"\mathrm{GELU}(x) = x\,\Phi(x) \approx 0.5x\left(1 + \tanh\left[\sqrt{2/\pi}\,(x + 0.044715x^3)\right]\right)",
    # policy gradient, argmax
    r"\nabla_\theta J(\theta) = \mathbb{E}_{\pi_\theta}\left[\nabla_\theta \log \pi_\theta(a \mid s)\, Q^{\pi}(s, a)\right]",
    r"\hat{y} = \operatorname*{arg\,max}_{y} p(y \mid x)",
    r"a^* = \argmax_{a \in \mathcal{A}} Q(s, a)",
    # cases, Bellman, primes
    r"\mathrm{ReLU}(x) = \begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"Q^*(s, a) = \mathbb{E}\left[r + \gamma \max_{a'} Q^*(s', a') \mid s, a\right]",
    r"\sigma'(x) = \sigma(x)\bigl(1 - \sigma(x)\bigr)",
    # scaling law, LoRA, MSE, Gaussian
    r"L(N, D) = E + \frac{A}{N^{\alpha}} + \frac{B}{D^{\beta}}",
    r"h = W_0 x + \Delta W x = W_0 x + BAx, \quad B \in \mathbb{R}^{d \times r}, A \in \mathbb{R}^{r \times k}",
    r"\mathcal{L} = \frac{1}{n} \sum_{i=1}^{n} \lVert y_i - \hat{y}_i \rVert_2^2",
    r"\mathcal{N}(x \mid \mu, \sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(x - \mu)^2}{2\sigma^2}\right)",
    # aligned derivation, Bayes, RLHF objective, underbrace
    r"\begin{aligned} \nabla_\theta \mathcal{L} &= \mathbb{E}[\nabla_\theta \log p_\theta(x)] \\ &\approx \frac{1}{N} \sum_{i} \nabla_\theta \log p_\theta(x_i) \end{aligned}",
    r"p(\theta \mid \mathcal{D}) = \frac{p(\mathcal{D} \mid \theta)\, p(\theta)}{p(\mathcal{D})}",
    r"\max_{\pi_\theta} \mathbb{E}_{x \sim \mathcal{D}, y \sim \pi_\theta(y \mid x)}\left[r_\phi(x, y)\right] - \beta\, \mathbb{D}_{\mathrm{KL}}\left[\pi_\theta(y \mid x) \,\|\, \pi_{\mathrm{ref}}(y \mid x)\right]",
    r"\mathrm{ELBO} = \underbrace{\mathbb{E}_{q}[\log p(x \mid z)]}_{\text{reconstruction}} - \underbrace{D_{\mathrm{KL}}(q \,\|\, p)}_{\text{regularizer}}",
]

# One or more per construct the issue names; (tex, what it exercises).
CONSTRUCTS = [
    (r"\mathcal{L}", "calligraphic"),
    (r"\mathcal{N}(0, I)", "calligraphic N"),
    (r"\mathbb{E}[X]", "blackboard E"),
    (r"x \in \mathbb{R}^{d}", "blackboard R"),
    (r"\mathfrak{g}", "fraktur"),
    (r"f'(x)", "prime"),
    (r"f''(x) > 0", "double prime"),
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "pmatrix"),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", "bmatrix"),
    (r"\det \begin{vmatrix} a & b \\ c & d \end{vmatrix}", "vmatrix"),
    (r"\begin{Vmatrix} x \end{Vmatrix}", "Vmatrix"),
    (r"\begin{Bmatrix} x & y \end{Bmatrix}", "Bmatrix"),
    (r"\begin{matrix} a & b \\ c & d \end{matrix}", "matrix"),
    (r"|x| = \begin{cases} x & x \ge 0 \\ -x & x < 0 \end{cases}", "cases"),
    (r"\begin{aligned} a &= b + c \\ &= d \end{aligned}", "aligned"),
    (r"a &= b \\ &= c", "align*-style rows"),
    (r"\underbrace{a + b + c}_{3}", "underbrace"),
    (r"\overbrace{x_1 + x_2}^{n}", "overbrace"),
    (r"\operatorname*{arg\,min}_{\theta} \mathcal{L}(\theta)", "operatorname*"),
    (r"\operatorname{clip}(r, 1 - \epsilon, 1 + \epsilon)", "operatorname"),
    (r"\big( x \big)", "big"),
    (r"\Big[ x \Big]", "Big"),
    (r"\bigg\{ x \bigg\}", "bigg"),
    (r"\Bigg( x \Bigg)", "Bigg"),
    (r"\bigl( a \bigr)", "bigl/bigr"),
    (r"\left( \frac{a}{b} \right)", "left/right"),
    (r"\left\{ x \middle| x > 0 \right\}", "middle"),
    (r"\left. \frac{df}{dx} \right|_{x=0}", "left. right|"),
    (r"\text{if } x > 0", "text"),
    (r"\textbf{bold} x", "textbf"),
    (r"\textit{word} x", "textit"),
    (r"\mathbf{W} x", "mathbf"),
    (r"\bm{\theta}", "bm"),
    (r"\boldsymbol{x}", "boldsymbol"),
    (r"a \le b \ge c", "le ge"),
    (r"p \iff q", "iff"),
    (r"p \implies q", "implies"),
    (r"x \gets x + 1", "gets"),
    (r"\argmax_x f(x)", "argmax"),
    (r"\argmin_x f(x)", "argmin"),
    (r"\lVert x \rVert_2", "lVert rVert"),
    (r"\lvert x \rvert", "lvert rvert"),
    (r"\tfrac{1}{2}", "tfrac"),
    (r"\dfrac{1}{2}", "dfrac"),
    (r"\displaystyle \sum_{i=1}^n i", "displaystyle"),
    (r"\textstyle \frac{a}{b}", "textstyle"),
    (r"\stackrel{?}{=}", "stackrel"),
    (r"x \xrightarrow{f} y", "xrightarrow"),
    (r"\sum_{i=1}^{n} x_i", "inline sum"),
    (r"\prod_{i} p_i", "inline prod"),
    (r"\lim_{n \to \infty} a_n", "lim"),
    (r"x^{-1}", "unary minus in a script"),
    (r"x_{t-1}", "minus inside a script"),
    (r"\beta\log\sigma(x)", "space before log"),
    (r"\sqrt[3]{x}", "nth root"),
    (r"\hat{x} \tilde{y} \bar{z} \vec{v}", "accents"),
    (r"\binom{n}{k}", "binom"),
    (r"\langle a, b \rangle", "angle brackets"),
    (r"\nabla_\theta \partial x", "nabla partial"),
    (r"e^{i\pi} + 1 = 0", "exponent"),
    (r"O(n^2)", "big O"),
    (r"a \cdot b \times c", "binary operators"),
    (r"x \sim \mathcal{N}(\mu, \sigma^2)", "sim"),
    (r"\forall x \exists y", "quantifiers"),
    (r"\int_0^1 f(x)\, dx", "integral"),
    (r"\overline{AB}", "overline"),
    (r"\frac{\partial \mathcal{L}}{\partial \theta}", "partial fraction"),
]

# (tex, words the message must hold): refused formulas.
REFUSED = [
    (r"\foo x", r"unknown command \foo at character 1"),
    (r"x + \boxed{y}", r"\boxed at character 5"),
    (r"\frac{a}{b", "unbalanced braces"),
    (r"a}", "unbalanced braces"),
    (r"\begin{pmatrix} a & b", r"\begin{pmatrix} at character 1 is never closed"),
    (r"\begin{pmatrix} a \end{bmatrix}", r"closed by \end{bmatrix}"),
    (r"\begin{foo} a \end{foo}", "unknown environment foo"),
    (r"\left( x", r"\left"),
    (r"\left( \begin{matrix} a \end{matrix} \right)", r"\begin at character 8"),
]
