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
# # 全部地区概览 · All regions
#
# 数据集中所有地区并列，按机关类型（政府 / 政府办公室 / 部门 / 乡镇街道）分组：类型之间不比较。
#
# Every region in the dataset side by side, grouped by scope (government / office / department /
# township); scopes are never compared with each other. The logic lives in `analysis/study/`.

# %% tags=["parameters"]
lang = "zh"
data_dir = "data/processed"
figures_out = None

# %%
from analysis.study.overview import Overview

overview = Overview(lang=lang, data_dir=data_dir, figures_out=figures_out)
overview.header()

# %% [markdown]
# ## 关键数字 · Key figures

# %%
overview.key_figures()

# %% [markdown]
# ## 历年新收申请 · New requests by year

# %%
overview.requests()

# %% [markdown]
# ## 公开率 · Disclosure rate

# %%
overview.disclosure()

# %% [markdown]
# ## 征地拆迁类申请 · Land requisition

# %%
overview.land()

# %% [markdown]
# ## 数据质量 · Data quality

# %%
overview.quality()

# %% [markdown]
# ## 如何引用 · How to cite

# %%
overview.citation()

# %%
registry = overview.finish()
