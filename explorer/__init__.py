"""The UI side: cached access to core, session state, widgets and plotly figure builders."""
