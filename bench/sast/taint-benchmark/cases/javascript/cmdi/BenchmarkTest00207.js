const express = require('express');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const escapeHtml = require('escape-html');
const { exec } = require('child_process');
const mysql = require('mysql');

const app = express();
const db = mysql.createConnection({ host: 'localhost' });

app.get('/case', (req, res) => {
  const value = req.query.p;
  const text = '' + value + '';
  exec('ping -c 1 ' + text);
});
