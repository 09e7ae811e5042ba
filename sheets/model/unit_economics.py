"""The Unit economics sheet: what does a GPU-hour or a million tokens really cost?

- 表7 (line 643): the H200 token-factory stack, from server cost to application margins;
- 表10 (line 946): hyperscaler and neocloud cost of capital and GPU-hour cost;
- 表8 (line 723): accelerator TCO per PFLOP, per TB/s and per TB.
Every figure is computed from Inputs or data links; the seed's printed results are on
the Checks sheet.
"""

from __future__ import annotations

from openpyxl.utils import quote_sheetname

from sheets.model.base import Model, Writer, col, fmt_of
from sheets.model.inputs import TIER_NAMES, TIERS
from sheets.model.styles import write_text

__all__ = ["UNIT_SHEET", "write_unit_economics"]

UNIT_SHEET = "Unit economics"
T07 = "t07_token_factory"
T08 = "t08_accelerator_tco"
T10 = "t10_cloud_tco"
CHIPS = ("GB200 NVL72", "GB300 NVL72", "TPU v7 Internal", "TPU v7 External")

HOURS_PER_MONTH = 8760 / 12  # for tolerance arithmetic only; the sheet uses Inputs


def _key(metric: str) -> tuple[str, str, str, str]:
    return (T07, "H200", metric, "")


def write_unit_economics(model: Model) -> None:
    w = Writer(
        model,
        UNIT_SHEET,
        "What does a GPU-hour or a million tokens really cost? 表7's token factory, "
        "表10's cost of capital by cloud tier, 表8's accelerator TCO.",
    )
    w.ws.column_dimensions["A"].width = 52
    w.ws.column_dimensions["D"].width = 70
    _token_factory(model, w)
    _cloud_tco(model, w)
    _accelerators(model, w)


def _stack_row(
    w: Writer, label: str, unit: str, formula: str, how: str, fmt: str | None = None
) -> str:
    r = w.row
    w.ws.cell(row=r, column=1, value=label)
    w.ws.cell(row=r, column=2, value=unit)
    if formula.startswith("=AIM_"):
        w.array(r, Writer.FIRST, 1, 1, formula, fmt or fmt_of(unit))
    else:
        w.put(r, Writer.FIRST, formula, fmt or fmt_of(unit))
    write_text(w.ws, r, 4, how)
    w.row += 1
    return f"C{r}"


def _token_factory(model: Model, w: Writer) -> None:
    w.section(
        "The AI token factory, H200 (表7, line 643)",
        "Per GPU-hour, then per million tokens, then per user per month.",
    )
    w.header("Layer", "Unit", ["Model", "How"])
    c: dict[str, str] = {}
    c["dep"] = _stack_row(
        w,
        "Depreciation per GPU-hour",
        "USD_per_hour",
        "=AIM_GPU_HOUR_COST(Server_cost,GPUs_per_server,GPU_life)",
        "Straight line: server cost / GPUs / (life x Hours_per_year)",
    )
    c["var"] = _stack_row(
        w,
        "Total variable cost per GPU-hour",
        "USD_per_hour",
        f"={c['dep']}+Opex_per_GPU_hour",
        "Depreciation + operating cost",
    )
    c["gm"] = _stack_row(
        w,
        "Neocloud gross margin",
        "pct",
        f"=(Rent_per_GPU_hour-{c['var']})/Rent_per_GPU_hour",
        "(Rental price - cost) / rental price",
    )
    c["tok"] = _stack_row(
        w,
        "Inference compute cost per million tokens",
        "USD_per_M_tokens",
        "=AIM_TOKEN_COST(Rent_per_GPU_hour,Tokens_per_sec,Utilization)",
        "A model maker renting GPUs at the rental price: price / tokens per hour x 1e6",
    )
    c["tok_cost"] = _stack_row(
        w,
        "…at the GPU's own cost (vertically integrated)",
        "USD_per_M_tokens",
        f"=AIM_TOKEN_COST({c['var']},Tokens_per_sec,Utilization)",
        "Total variable cost per GPU-hour instead of the rental price",
    )
    c["mgm"] = _stack_row(
        w,
        "Model gross margin",
        "pct",
        f"=(API_price-{c['tok']})/API_price",
        "(API price - compute cost) / API price",
    )
    c["u3"] = _stack_row(
        w,
        "3P token unit cost",
        "USD_per_M_tokens",
        "=API_price",
        "A third-party app pays the API price",
    )
    c["gp3"] = _stack_row(
        w,
        "3P gross profit per user per month",
        "USD_per_user_month",
        f"=ARPU-Tokens_per_user/Tokens_per_M*{c['u3']}",
        "ARPU - tokens per user in millions x unit cost",
    )
    c["m3"] = _stack_row(
        w, "3P application gross margin", "pct", f"={c['gp3']}/ARPU", "Gross profit / ARPU"
    )
    c["u1"] = _stack_row(
        w,
        "1P token unit cost",
        "USD_per_M_tokens",
        f"={c['tok']}",
        "A first-party app pays the inference compute cost",
    )
    c["gp1"] = _stack_row(
        w,
        "1P gross profit per user per month",
        "USD_per_user_month",
        f"=ARPU-Tokens_per_user/Tokens_per_M*{c['u1']}",
        "ARPU - tokens per user in millions x unit cost",
    )
    c["m1"] = _stack_row(
        w, "1P application gross margin", "pct", f"={c['gp1']}/ARPU", "Gross profit / ARPU"
    )
    server = [_key("total_server_capital_cost"), _key("gpus_per_server"), _key("useful_life")]
    hours = 8760.0

    def dep(cost, gpus, life):
        return cost / gpus / (life * hours)

    def tok(rent, tps):
        return rent / (tps * 3600 / 1e6)

    checks = [
        ("depreciation_per_gpu_hour", "dep", dep, server),
        (
            "total_variable_cost_per_gpu_hour",
            "var",
            lambda a, b, x, o: dep(a, b, x) + o,
            [*server, _key("operating_cost_per_gpu_hour")],
        ),
        (
            "neocloud_gross_margin",
            "gm",
            lambda a, b, x, o, r: (r - dep(a, b, x) - o) / r,
            [*server, _key("operating_cost_per_gpu_hour"), _key("revenue_per_gpu_hour")],
        ),
        ("inference_compute_cost", "tok", tok, [_key("revenue_per_gpu_hour"), _key("throughput")]),
        (
            "model_gross_margin",
            "mgm",
            lambda r, t, p: (p - tok(r, t)) / p,
            [_key("revenue_per_gpu_hour"), _key("throughput"), _key("api_blended_price")],
        ),
        ("token_unit_cost_3p", "u3", lambda p: p, [_key("api_blended_price")]),
        (
            "gross_profit_per_user_3p",
            "gp3",
            lambda a, n, p: a - n / 1e6 * p,
            [_key("arpu"), _key("tokens_per_user_month"), _key("api_blended_price")],
        ),
        (
            "gross_margin_3p",
            "m3",
            lambda a, n, p: (a - n / 1e6 * p) / a,
            [_key("arpu"), _key("tokens_per_user_month"), _key("api_blended_price")],
        ),
        ("token_unit_cost_1p", "u1", tok, [_key("revenue_per_gpu_hour"), _key("throughput")]),
        (
            "gross_profit_per_user_1p",
            "gp1",
            lambda a, n, r, t: a - n / 1e6 * tok(r, t),
            [
                _key("arpu"),
                _key("tokens_per_user_month"),
                _key("revenue_per_gpu_hour"),
                _key("throughput"),
            ],
        ),
        (
            "gross_margin_1p",
            "m1",
            lambda a, n, r, t: (a - n / 1e6 * tok(r, t)) / a,
            [
                _key("arpu"),
                _key("tokens_per_user_month"),
                _key("revenue_per_gpu_hour"),
                _key("throughput"),
            ],
        ),
    ]
    for metric, cell, f, inputs in checks:
        if model.has(*_key(metric)):
            model.check(
                _key(metric),
                f"表7 {metric.replace('_', ' ')}",
                f"{model_ref(w, c[cell])}",
                compute=f,
                inputs=inputs,
            )
    model.blocks["token_factory"] = c  # type: ignore[assignment]
    for key, metric, unit in (
        ("dep", "depreciation_per_gpu_hour", "USD_per_hour"),
        ("var", "total_variable_cost_per_gpu_hour", "USD_per_hour"),
        ("gm", "neocloud_gross_margin", "pct"),
        ("tok", "compute_cost_per_m_tokens", "USD_per_M_tokens"),
        ("mgm", "model_gross_margin", "pct"),
    ):
        model.output("H200", metric, "", unit, model_ref(w, f"${c[key][0]}${c[key][1:]}"))


def model_ref(w: Writer, cell: str) -> str:
    return f"{quote_sheetname(w.title)}!{cell}"


def _cloud_tco(model: Model, w: Writer) -> None:
    w.section(
        "Cost of capital and GPU-hour cost by cloud tier (表10, line 946)",
        "Per GPU: 表10's monthly costs are per 8-GPU server (GPUs_per_server).",
    )
    w.header("Measure", "Unit", list(TIERS))
    rows = [
        ("WACC: AIM_WACC(Ke, Kd, We, Tax_rate)", "pct", "=AIM_WACC(Ke_{t},Kd_{t},We_{t},Tax_rate)"),
        ("Server capital cost per month", "USD_per_month", "=Capital_month_{t}"),
        ("Operating cost per month", "USD_per_month", "=Opex_month_{t}"),
        ("Total cost of ownership per month", "USD_per_month", "=Capital_month_{t}+Opex_month_{t}"),
        ("Hours per month", "hours", "=Hours_per_year/Months_per_year"),
        (
            "Capital cost per GPU-hour",
            "USD_per_hour",
            "=Capital_month_{t}/(GPUs_per_server*{hours})",
        ),
        ("Hosting cost per GPU-hour", "USD_per_hour", "=Opex_month_{t}/(GPUs_per_server*{hours})"),
        ("Total cost per GPU-hour", "USD_per_hour", "={capital}+{hosting}"),
        ("Capital cost as a share of TCO", "pct", "=Capital_month_{t}/{tco}"),
        (
            "H200 capital cost per GPU-hour at this WACC: AIM_GPU_HOUR_COST(Server_cost, "
            "GPUs_per_server, GPU_life, WACC)",
            "USD_per_hour",
            "=AIM_GPU_HOUR_COST(Server_cost,GPUs_per_server,GPU_life,{wacc})",
        ),
        (
            "Total cost per GPU-hour at this WACC: the H200 capital cost above + hosting "
            "(follows the tier's cost of equity and debt)",
            "USD_per_hour",
            "={h200}+{hosting}",
        ),
    ]
    first = w.row
    at = {}
    for k, (label, unit, _) in enumerate(rows):
        w.ws.cell(row=first + k, column=1, value=label)
        w.ws.cell(row=first + k, column=2, value=unit)
        at[k] = first + k
    for j, tier in enumerate(TIERS):
        t = TIER_NAMES[tier]
        c = Writer.FIRST + j
        letter = col(c)
        refs = {
            "t": t,
            "hours": f"{letter}{at[4]}",
            "capital": f"{letter}{at[5]}",
            "hosting": f"{letter}{at[6]}",
            "tco": f"{letter}{at[3]}",
            "wacc": f"{letter}{at[0]}",
            "h200": f"{letter}{at[9]}",
        }
        for k, (_, unit, template) in enumerate(rows):
            text = template.format(**refs)
            if text.startswith("=AIM_"):
                w.array(at[k], c, 1, 1, text, fmt_of(unit))
            else:
                w.put(at[k], c, text, fmt_of(unit))
        cell = lambda k, letter=letter: model_ref(w, f"{letter}{at[k]}")  # noqa: E731
        key = lambda m, tier=tier: (T10, tier, m, "")  # noqa: E731
        ke, kd, we = key("cost_of_equity"), key("cost_of_debt"), key("equity_funding_share")
        cap, opx = key("server_capital_cost_per_month"), key("operating_cost_per_month")
        gpus = _key("gpus_per_server")
        model.check(
            key("wacc"),
            f"表10 {tier} WACC",
            cell(0),
            compute=lambda e, d, s: s * e + (1 - s) * d,
            inputs=[ke, kd, we],
        )
        model.check(
            key("tco_per_month"),
            f"表10 {tier} TCO per month",
            cell(3),
            compute=lambda a, b: a + b,
            inputs=[cap, opx],
        )
        model.check(
            key("capital_cost_per_hour"),
            f"表10 {tier} capital cost per GPU-hour",
            cell(5),
            compute=lambda a, g: a / (g * HOURS_PER_MONTH),
            inputs=[cap, gpus],
        )
        model.check(
            key("hosting_cost_per_hour"),
            f"表10 {tier} hosting cost per GPU-hour",
            cell(6),
            compute=lambda a, g: a / (g * HOURS_PER_MONTH),
            inputs=[opx, gpus],
        )
        model.check(
            key("total_cost_per_hour"),
            f"表10 {tier} total cost per GPU-hour",
            cell(7),
            compute=lambda a, b, g: (a + b) / (g * HOURS_PER_MONTH),
            inputs=[cap, opx, gpus],
        )
        ratio = model.value(*cap) / (model.value(*cap) + model.value(*opx))
        model.check(
            key("capital_share_of_tco"),
            f"表10 {tier} capital share of TCO",
            cell(8),
            compute=lambda a, b: a / (a + b),
            inputs=[cap, opx],
            known=(
                f"The printed share does not follow from the printed costs: "
                f"{model.value(*cap):,.0f} / ({model.value(*cap):,.0f} + "
                f"{model.value(*opx):,.0f}) = {ratio:.1%}; SemiAnalysis' share "
                "likely includes costs the table does not show."
            ),
        )
    w.row = first + len(rows)
    model.blocks["cloud_tco"] = {"first": first, "rows": at}  # type: ignore[assignment]


def _accelerators(model: Model, w: Writer) -> None:
    w.section(
        "Accelerator TCO per unit of performance (表8, line 723)",
        "Cost per hour divided by marketed performance, bandwidth and memory.",
    )
    w.header("Measure", "Unit", list(CHIPS))
    links = [
        ("Total cost per chip-hour", "USD_per_hour", "total_cost_per_hour"),
        ("Marketed TFLOPS, BF16", "TFLOPS", "tflops_bf16"),
        ("Marketed TFLOPS, 8-bit", "TFLOPS", "tflops_8bit"),
        ("Marketed TFLOPS, FP4 (TPU: FP8 downcast)", "TFLOPS", "tflops_fp4"),
        ("Memory bandwidth", "TB_per_s", "memory_bandwidth"),
        ("Memory capacity", "GB", "memory_capacity"),
    ]
    first = w.row
    for k, (label, unit, _) in enumerate(links):
        w.ws.cell(row=first + k, column=1, value=label)
        w.ws.cell(row=first + k, column=2, value=unit)
    derived = [
        (
            "TCO per BF16 PFLOP",
            "USD_per_hour_per_PFLOP",
            "=C{0}/(C{1}/TFLOPS_per_PFLOP)",
            "tco_per_pflop_bf16",
            lambda h, f: h / (f / 1000),
            ("total_cost_per_hour", "tflops_bf16"),
        ),
        (
            "TCO per 8-bit PFLOP",
            "USD_per_hour_per_PFLOP",
            "=C{0}/(C{2}/TFLOPS_per_PFLOP)",
            "tco_per_pflop_8bit",
            lambda h, f: h / (f / 1000),
            ("total_cost_per_hour", "tflops_8bit"),
        ),
        (
            "TCO per FP4 PFLOP",
            "USD_per_hour_per_PFLOP",
            "=C{0}/(C{3}/TFLOPS_per_PFLOP)",
            "tco_per_pflop_fp4",
            lambda h, f: h / (f / 1000),
            ("total_cost_per_hour", "tflops_fp4"),
        ),
        (
            "TCO per TB/s of memory bandwidth",
            "USD_per_hour_per_TBps",
            "=C{0}/C{4}",
            "tco_per_tbps",
            lambda h, b: h / b,
            ("total_cost_per_hour", "memory_bandwidth"),
        ),
        (
            "TCO per TB of memory",
            "USD_per_hour_per_TB",
            "=C{0}/(C{5}/GB_per_TB)",
            "tco_per_tb",
            lambda h, g: h / (g / 1000),
            ("total_cost_per_hour", "memory_capacity"),
        ),
        (
            "8-bit TFLOPS per TB/s of bandwidth",
            "TFLOPS_per_TBps",
            "=C{2}/C{4}",
            "tflops_fp8_per_bandwidth",
            lambda f, b: f / b,
            ("tflops_8bit", "memory_bandwidth"),
        ),
    ]
    for k, (label, unit, _, _, _, _) in enumerate(derived):
        w.ws.cell(row=first + len(links) + k, column=1, value=label)
        w.ws.cell(row=first + len(links) + k, column=2, value=unit)
    rows = [first + k for k in range(len(links))]
    for j, chip in enumerate(CHIPS):
        c = Writer.FIRST + j
        letter = col(c)
        for k, (_, unit, metric) in enumerate(links):
            used = _used_metric(model, chip, metric)
            w.put(first + k, c, f"={model.ref(T08, chip, used)}", fmt_of(unit), link=True)
            if used != metric:
                _flag_typo(model, w, chip, metric, used, f"{letter}{first + k}")
        for k, (label, unit, template, metric, f, args) in enumerate(derived):
            r = first + len(links) + k
            text = template.replace("C{", letter + "{").format(*rows)
            w.put(r, c, text, fmt_of(unit))
            key = (T08, chip, metric, "")
            if not model.has(*key):
                continue
            model.check(
                key,
                f"表8 {chip} {label}",
                model_ref(w, f"{letter}{r}"),
                compute=f,
                inputs=[(T08, chip, _used_metric(model, chip, a), "") for a in args],
            )
    w.row = first + len(links) + len(derived)
    _tpu_discounts(model, w, first)


def _used_metric(model: Model, chip: str, metric: str) -> str:
    """The data row the model uses for ``metric``: ``<metric>_corrected`` where data/
    corrects a printed typo (TPU v7 memory), else the printed figure."""
    corrected = f"{metric}_corrected"
    return corrected if model.has(T08, chip, corrected) else metric


def _flag_typo(model: Model, w: Writer, chip: str, metric: str, used: str, cell: str) -> None:
    """A Checks row for a printed figure the model replaces: the model's value beside the
    printed one, a known discrepancy whose reason is the correction's note."""
    printed, fixed = model.value(T08, chip, metric), model.value(T08, chip, used)
    model.check(
        (T08, chip, metric, ""),
        f"表8 {chip} {metric.replace('_', ' ')}",
        model_ref(w, cell),
        known=(
            f"The model uses {fixed:g} (data/{T08}.csv {used}), not the printed "
            f"{printed:g}: " + str(model.row(T08, chip, used)["note"])
        ),
    )


def _tpu_discounts(model: Model, w: Writer, cost_row: int) -> None:
    """TPU v7's cost advantage, as the seed's text states it (line 719)."""
    w.section("TPU v7 cost below Nvidia's, per chip-hour (seed line 719)")
    w.header("Comparison", "pct", ["Discount"])
    cost = {chip: f"{col(Writer.FIRST + j)}{cost_row}" for j, chip in enumerate(CHIPS)}
    cases = [
        ("TPU v7 Internal", "GB200 NVL72", "tco_discount_vs_gb200"),
        ("TPU v7 External", "GB200 NVL72", "tco_discount_low"),
        ("TPU v7 External", "GB300 NVL72", "tco_discount_high"),
    ]
    r = w.row
    w.labels([f"{tpu} against {gpu}" for tpu, gpu, _ in cases])
    for i, (tpu, gpu, metric) in enumerate(cases):
        w.put(r + i, Writer.FIRST, f"=({cost[gpu]}-{cost[tpu]})/{cost[gpu]}", fmt_of("pct"))
        model.check(
            (T08, tpu, metric, ""),
            f"TPU v7 {metric.replace('_', ' ')}",
            model_ref(w, f"C{r + i}"),
            compute=lambda g, t: (g - t) / g,
            inputs=[(T08, gpu, "total_cost_per_hour", ""), (T08, tpu, "total_cost_per_hour", "")],
        )
