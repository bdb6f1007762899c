# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 地区报告 · Region report
#
# 一个地区的政府信息公开工作年度报告：关键数字、历年申请、征地拆迁类申请、办理结果、行政复议与诉讼、
# 数据质量、来源与引用。每个图表有固定编号（如 `东阿县-2023-F1`）、说明和出处。
#
# One region's government information disclosure annual reports. Every figure and table has a stable id,
# a caption and its sources. Render every region with `ogi render`; open this file in JupyterLab to
# explore one (`make lab`). The logic lives in `analysis/study/`; this notebook only calls it.

# %% tags=["parameters"]
region = "东阿县"
years = None
lang = "zh"
data_dir = "data/processed"
figures_out = None

# %%
from analysis.study.report import RegionReport

report = RegionReport(region, years=years, lang=lang, data_dir=data_dir, figures_out=figures_out)
report.header()

# %% [markdown]
# ## 关键数字 · Key figures

# %%
report.key_figures()

# %% [markdown]
# ## 历年申请 · Requests over time

# %%
report.requests()

# %% [markdown]
# ## 征地拆迁类申请 · Land requisition

# %%
report.land()

# %% [markdown]
# ## 办理结果 · Outcomes

# %%
report.outcomes()

# %% [markdown]
# ## 行政复议与行政诉讼 · Reconsideration and litigation

# %%
report.review()

# %% [markdown]
# ## 同类比较 · Comparison with the same scope

# %%
report.compare()

# %% [markdown]
# ## 数据质量 · Data quality

# %%
report.quality()

# %% [markdown]
# ## 来源 · Sources

# %%
report.sources()

# %% [markdown]
# ## 如何引用 · How to cite

# %%
report.citation()

# %%
registry = report.finish()
